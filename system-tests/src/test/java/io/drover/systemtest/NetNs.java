package io.drover.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test host: a network namespace joined to the root namespace by a veth pair with its own /30
 * (root side 10.201.N.1, host side 10.201.N.2). Traffic never leaves this machine. The link can be
 * cut and restored; this kernel has no netem qdisc, so {@link LaggyProxy} makes a link slow and
 * lossy. {@link #close()} kills what runs inside and removes it.
 */
final class NetNs implements AutoCloseable {
    final String name;
    final String rootIf;
    final String rootAddress;
    final String hostAddress;

    private NetNs(String name, int n) {
        this.name = name;
        this.rootIf = "dv" + n + "r";
        this.rootAddress = "10.201." + n + ".1";
        this.hostAddress = "10.201." + n + ".2";
        try {
            run("ip", "addr", "add", rootAddress + "/30", "dev", rootIf);
            run("ip", "link", "set", rootIf, "up");
            run("ip", "-n", name, "addr", "add", hostAddress + "/30", "dev", "eth0");
            run("ip", "-n", name, "link", "set", "eth0", "up");
            run("ip", "-n", name, "link", "set", "lo", "up");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * A new host named {@code <prefix><n>}, n a number no other live namespace of this prefix holds:
     * {@code ip netns add} fails for a taken name, so claiming one is atomic and tests that run at
     * the same time (other checkouts, CI) never share a namespace, interface or subnet. The number
     * is shared by every prefix (it names the root-side interface and the subnet), so it is only
     * taken when that interface can be created too: another prefix may hold it.
     */
    static NetNs create(String prefix) {
        List<Integer> numbers = new ArrayList<>();
        for (int n = 1; n <= 250; n++) {
            numbers.add(n);
        }
        java.util.Collections.shuffle(numbers);
        for (int n : numbers) {
            String name = prefix + n;
            if (exitCode("ip", "netns", "add", name) != 0) {
                continue;
            }
            if (exitCode("ip", "link", "add", "dv" + n + "r", "type", "veth", "peer", "name", "eth0", "netns", name) == 0) {
                return new NetNs(name, n);
            }
            exitCode("ip", "netns", "del", name); // the number is held under another prefix
        }
        throw new IllegalStateException("no free namespace number for prefix " + prefix);
    }

    /** True when this process may create namespaces (root, iproute2 present). */
    static boolean available() {
        try {
            return "root".equals(System.getProperty("user.name"))
                    && new ProcessBuilder("ip", "-V").start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    List<String> exec() {
        return List.of("ip", "netns", "exec", name);
    }

    void cut() {
        run("ip", "link", "set", rootIf, "down");
    }

    void restore() {
        run("ip", "link", "set", rootIf, "up");
    }

    @Override
    public void close() {
        String pids = output("ip", "netns", "pids", name).trim();
        if (!pids.isEmpty()) {
            List<String> kill = new ArrayList<>(List.of("kill", "-9"));
            kill.addAll(List.of(pids.split("\\s+")));
            output(kill.toArray(String[]::new));
        }
        output("ip", "link", "del", rootIf);
        output("ip", "netns", "del", name);
    }

    private static int exitCode(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", cmd), e);
        }
    }

    static void run(String... cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Runs a command whose failure is fine (cleanup); returns its output. */
    static String output(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
