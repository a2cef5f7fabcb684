package io.drover.agent.contain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the processes whose environment holds one {@code NAME=value} entry, among those of the
 * agent's own uid, by reading {@code /proc/<pid>/environ}. Costs one read per process on the
 * host, so it runs only when an attempt is stopped, never per task.
 */
final class CookieScan {
    private static final Logger log = LoggerFactory.getLogger(CookieScan.class);
    private static final Path PROC = Path.of("/proc");

    private final Path proc;
    private final int uid;
    private final long self;

    CookieScan(Path proc, int uid, long self) {
        this.proc = proc;
        this.uid = uid;
        this.self = self;
    }

    /** The host's /proc, for processes of this JVM's uid; empty when there is no readable /proc. */
    static java.util.Optional<CookieScan> host() {
        try {
            int uid = (Integer) Files.getAttribute(PROC.resolve("self"), "unix:uid");
            return java.util.Optional.of(new CookieScan(PROC, uid, ProcessHandle.current().pid()));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            log.warn("cannot read {} ({}): a stopped task's processes are found from its process group and descendants only",
                    PROC, e.toString());
            return java.util.Optional.empty();
        }
    }

    /** Live processes (not zombies) of our uid whose environment has {@code name=value}. */
    List<ProcessHandle> find(String name, String value) {
        byte[] wanted = (name + "=" + value).getBytes(StandardCharsets.UTF_8);
        List<ProcessHandle> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc)) {
            for (Path p : entries) {
                long pid = pid(p.getFileName().toString());
                if (pid > 0 && pid != self && ours(p) && hasEntry(p, wanted) && !zombie(p)) {
                    ProcessHandle.of(pid).ifPresent(found::add);
                }
            }
        } catch (IOException e) {
            log.warn("cannot list {}: {}", proc, e.toString());
        }
        return found;
    }

    private static long pid(String name) {
        if (name.isEmpty() || name.length() > 10) {
            return -1;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(name);
    }

    private boolean ours(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:uid") == uid;
        } catch (IOException | RuntimeException e) {
            return false; // gone meanwhile
        }
    }

    private static boolean zombie(Path p) {
        try {
            String stat = Files.readString(p.resolve("stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'Z' || state == 'X';
        } catch (IOException | RuntimeException e) {
            return true; // gone meanwhile
        }
    }

    private static boolean hasEntry(Path p, byte[] wanted) {
        byte[] env;
        try {
            env = Files.readAllBytes(p.resolve("environ"));
        } catch (IOException e) {
            return false; // gone meanwhile, or not readable
        }
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                if (i - start == wanted.length && Arrays.equals(env, start, i, wanted, 0, wanted.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }
}
