package io.drover.agent.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts task processes as leaders of their own process group and session ({@code setsid}, which
 * execs in place: same pid) and stops them with everything they started.
 *
 * <p>Stopping sends SIGTERM to the group and to every descendant, waits up to the grace, then
 * sends SIGKILL the same way. The group signal reaches members that were re-parented (their
 * parent died) and is atomic against forks; the descendant walk reaches members that left the
 * group. The descendants are listed before anything is signalled: once a parent is gone its
 * children can no longer be found from it. Processes that both left the group and were orphaned
 * (a daemonizing double fork) are out of reach of this class alone: the containment layer
 * ({@code io.drover.agent.contain}) finds them through cgroups or an environment cookie.
 *
 * <p>Without {@code setsid} and {@code kill} on the host only the descendant walk is used.
 */
public final class ProcessTree {
    private static final Logger log = LoggerFactory.getLogger(ProcessTree.class);
    private static final Duration SIGNAL_WAIT = Duration.ofSeconds(2);
    private static final int SWEEP_ROUNDS = 20;
    private static final Duration SWEEP_WAIT = Duration.ofMillis(200);
    private static final List<Path> BIN_DIRS = List.of(Path.of("/usr/bin"), Path.of("/bin"), Path.of("/usr/sbin"), Path.of("/sbin"));

    private final Optional<Path> setsid;
    private final Optional<Path> kill;

    ProcessTree(Optional<Path> setsid, Optional<Path> kill) {
        this.setsid = setsid;
        this.kill = kill;
    }

    /** Uses the host's {@code setsid} and {@code kill} when both are there. */
    public static ProcessTree detect() {
        Optional<Path> setsid = find("setsid");
        Optional<Path> kill = find("kill");
        if (setsid.isEmpty() || kill.isEmpty()) {
            log.warn("setsid or kill not found in {}: task processes run in the agent's process group, and stopping one "
                    + "reaches only its current descendants", BIN_DIRS);
            return new ProcessTree(Optional.empty(), Optional.empty());
        }
        return new ProcessTree(setsid, kill);
    }

    private static Optional<Path> find(String name) {
        return BIN_DIRS.stream().map(d -> d.resolve(name)).filter(Files::isExecutable).findFirst();
    }

    /** Whether tasks get their own process group. */
    public boolean groups() {
        return setsid.isPresent();
    }

    /** The command line that starts {@code command} as the leader of a new group and session. */
    public List<String> launch(List<String> command) {
        if (setsid.isEmpty()) {
            return command;
        }
        List<String> line = new ArrayList<>(command.size() + 1);
        line.add(setsid.get().toString());
        line.addAll(command);
        return line;
    }

    /**
     * Stops {@code process} and its tree: SIGTERM, up to {@code grace} for it to end, then SIGKILL.
     * Returns once the process itself is gone (or a few seconds after SIGKILL). Not cut short by
     * an interrupt; the caller's interrupt flag is kept.
     */
    public void stop(Process process, Duration grace) {
        stop(process, grace, List::of);
    }

    /**
     * Like {@link #stop(Process, Duration)}, and also stops the processes {@code others} finds
     * (asked before each signal, and again after SIGKILL until it finds none, a bounded number
     * of rounds): processes of the attempt that neither the group nor the descendant walk reaches.
     */
    public void stop(Process process, Duration grace, Supplier<List<ProcessHandle>> others) {
        Interrupts interrupts = new Interrupts(Thread.interrupted());
        try {
            Set<ProcessHandle> tree = new LinkedHashSet<>(process.descendants().toList());
            tree.addAll(others.get());
            if (!grace.isZero()) {
                signalGroup(process.pid(), "TERM", interrupts);
                process.destroy();
                tree.forEach(ProcessHandle::destroy);
                if (awaitGone(process.toHandle(), tree, grace, interrupts)) {
                    sweep(others, interrupts);
                    return;
                }
                tree.addAll(process.descendants().toList());
                tree.addAll(others.get());
            }
            signalGroup(process.pid(), "KILL", interrupts);
            process.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
            if (!awaitGone(process.toHandle(), Set.of(), SIGNAL_WAIT, interrupts)) {
                log.warn("process {} still alive {} ms after SIGKILL", process.pid(), SIGNAL_WAIT.toMillis());
            }
            sweep(others, interrupts);
        } finally {
            interrupts.restore();
        }
    }

    /** SIGKILL whatever {@code others} finds until it finds nothing (a process may fork while it is listed). */
    private static void sweep(Supplier<List<ProcessHandle>> others, Interrupts interrupts) {
        for (int round = 0; round < SWEEP_ROUNDS; round++) {
            List<ProcessHandle> left = others.get();
            if (left.isEmpty()) {
                return;
            }
            left.forEach(ProcessHandle::destroyForcibly);
            awaitGone(left.get(0), new LinkedHashSet<>(left), SWEEP_WAIT, interrupts);
        }
        log.warn("processes of a stopped task still appear after {} rounds of SIGKILL", SWEEP_ROUNDS);
    }

    /** Kills what {@code others} finds, the same way as after a stop's SIGKILL. */
    public static void killAll(Supplier<List<ProcessHandle>> others) {
        Interrupts interrupts = new Interrupts(Thread.interrupted());
        try {
            sweep(others, interrupts);
        } finally {
            interrupts.restore();
        }
    }

    /**
     * Forcibly kills {@code process} and its current descendants, without the group signal (for
     * processes not started through {@link #launch}, such as worker JVMs). The descendants are
     * listed first: once the parent is gone they are re-parented and can no longer be found from it.
     */
    public static void kill(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /** Kills what is left in the group of a leader that already exited (output pipes held open). */
    public void killLeftovers(long leaderPid) {
        Interrupts interrupts = new Interrupts(Thread.interrupted());
        signalGroup(leaderPid, "KILL", interrupts);
        interrupts.restore();
    }

    /** Interrupts that arrived while stopping: noted, not obeyed, and passed on at the end. */
    private static final class Interrupts {
        private boolean seen;

        Interrupts(boolean seen) {
            this.seen = seen;
        }

        void note() {
            seen = true;
        }

        void restore() {
            if (seen) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until the leader and every process of {@code tree} ended, at most {@code wait}. */
    private static boolean awaitGone(ProcessHandle leader, Set<ProcessHandle> tree, Duration wait, Interrupts interrupts) {
        long deadline = System.nanoTime() + wait.toNanos();
        List<ProcessHandle> all = new ArrayList<>(tree.size() + 1);
        all.add(leader);
        all.addAll(tree);
        for (ProcessHandle p : all) {
            while (p.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    p.onExit().get(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupts.note();
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    return !p.isAlive();
                }
            }
        }
        return true;
    }

    /**
     * {@code kill -SIG -- -pgid}; "no such process" (the group is empty) is fine. Waits for the
     * {@code kill} command even when interrupted.
     */
    private void signalGroup(long pgid, String signal, Interrupts interrupts) {
        if (kill.isEmpty()) {
            return;
        }
        try {
            Process k = new ProcessBuilder(kill.get().toString(), "-" + signal, "--", "-" + pgid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.nanoTime() + SIGNAL_WAIT.toNanos();
            while (k.isAlive() && System.nanoTime() < deadline) {
                try {
                    k.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupts.note();
                }
            }
            if (k.isAlive()) {
                k.destroyForcibly();
                log.warn("kill -{} of process group {} did not return within {} ms", signal, pgid, SIGNAL_WAIT.toMillis());
            }
        } catch (IOException e) {
            log.warn("cannot signal process group {} with {}: {}", pgid, signal, e.toString());
        }
    }
}
