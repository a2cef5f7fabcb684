package io.drover.agent.contain;

import io.drover.agent.platform.ProcessTree;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Containment without privilege or native code: each attempt starts as the leader of its own
 * process group ({@link ProcessTree}) and every process of it inherits a random
 * {@value #COOKIE} in its environment. Stopping the attempt signals the group, the descendants,
 * and every process of the agent's uid whose environment carries the cookie, until none is left:
 * a daemonizing double fork is found by its environment.
 *
 * <p>What escapes: a process that clears or replaces its environment ({@code env -i}, a fresh
 * login through sudo or ssh) after leaving the group and being orphaned, and one that changes its
 * uid. Nothing limits memory or processes. When a command exits by itself nothing is hunted down
 * (a process-table scan per task would cost more than the task); only output still held open is.
 */
public final class TrackedContainment implements Containment {
    public static final String COOKIE = "DROVER_ATTEMPT_COOKIE";

    private final ProcessTree tree;
    private final Optional<CookieScan> scan;
    private final SecureRandom random = new SecureRandom();

    TrackedContainment(ProcessTree tree, Optional<CookieScan> scan) {
        this.tree = tree;
        this.scan = scan;
    }

    public static TrackedContainment onHost(ProcessTree tree) {
        return new TrackedContainment(tree, CookieScan.host());
    }

    @Override
    public String mechanism() {
        return "tracked";
    }

    @Override
    public String description() {
        return "tracked: each task leads its own process group" + (tree.groups() ? "" : " (not here: no setsid)")
                + (scan.isPresent() ? "; its processes carry " + COOKIE + " and a stop hunts them down in /proc" : "")
                + "; no memory or pids limits";
    }

    @Override
    public TaskLimits limits() {
        return TaskLimits.NONE;
    }

    @Override
    public Enclosure enclose(long attemptId, TaskLimits ignored) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return new Tracked(HexFormat.of().formatHex(bytes));
    }

    @Override
    public void close() {
    }

    private final class Tracked implements Enclosure {
        private final String cookie;
        private final Supplier<List<ProcessHandle>> marked;

        Tracked(String cookie) {
            this.cookie = cookie;
            this.marked = () -> scan.map(s -> s.find(COOKIE, cookie)).orElse(List.of());
        }

        @Override
        public List<String> launch(List<String> command) {
            return tree.launch(command);
        }

        @Override
        public void environment(Map<String, String> env) {
            env.put(COOKIE, cookie);
        }

        @Override
        public void stop(Process leader, Duration grace) {
            tree.stop(leader, grace, marked);
        }

        @Override
        public void ended(Process leader) {
            // Not hunted down: see the class comment.
        }

        @Override
        public void killLeftovers(Process leader) {
            tree.killLeftovers(leader.pid());
            ProcessTree.killAll(marked);
        }

        @Override
        public Optional<String> limitHit() {
            return Optional.empty();
        }

        @Override
        public void close() {
        }
    }
}
