package io.drover.agent.contain;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt in a cgroup of the agent's pool, one directory per hierarchy used. The command is started through
 * {@code setsid} and a shell that writes its own pid into every {@code cgroup.procs} and then execs
 * the command (same pid): nothing of the task runs outside the cgroup, and no process of it can
 * leave (only root could move it out). The {@code setsid} costs one exec more than the shell alone,
 * but without it the task would share the agent's process group, and a task's {@code kill 0} (a
 * common clean-up idiom in scripts) would signal the agent.
 *
 * <p>Closing it kills what is left in the cgroup and, once the cgroup is seen empty, hands it back
 * ({@link Release}) for the next attempt; limit counters are cumulative per cgroup, so the ones
 * the attempt's limits need are read when it starts and compared when it ends.
 */
final class AttemptCgroup implements Enclosure {
    private static final Logger log = LoggerFactory.getLogger(AttemptCgroup.class);
    /** How long the kill may take to empty the cgroup before the agent gives up and says so. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final int KILL_ROUNDS = 50;
    private static final long MAX_POLL_NANOS = Duration.ofMillis(50).toNanos();
    static final String SAVED_LC_ALL = "DROVER_SAVED_LC_ALL";
    /** The job's LC_ALL back (see {@link #environment}), before anything else of the task runs. */
    private static final String RESTORE_LC_ALL = "case $" + SAVED_LC_ALL + " in =*) LC_ALL=${" + SAVED_LC_ALL
            + "#=};; *) unset LC_ALL;; esac; unset " + SAVED_LC_ALL + "; ";

    private final List<Path> dirs;
    private final Path members;
    private final Optional<Path> killFile;
    private final Optional<Path> freezer;
    private final Optional<Path> memoryEvents;
    private final Optional<Path> pidsEvents;
    private final TaskLimits limits;
    private final long oomKillsBefore;
    private final long pidsRefusedBefore;
    private final Path shell;
    private final Optional<Path> setsid;
    private final Release release;
    /** Seen empty after the command ended: nothing can enter it again, so close need not look. */
    private boolean emptied;
    /** Whether kill() ran: with a v1 freezer, the cgroup is checked thawed before it is reused. */
    private boolean killed;
    /** An interrupt that arrived while stopping: noted, not obeyed, passed on at the end (one task thread uses this). */
    private boolean interruptSeen;

    /**
     * @param dirs         every directory of the attempt, already made and limited
     * @param killFile     {@code cgroup.kill} of the v2 directory, where the kernel has it
     * @param freezer      the v1 freezer directory, used to kill when there is no {@code cgroup.kill}
     * @param memoryEvents v2 {@code memory.events} or v1 {@code memory.oom_control}: oom_kill count
     * @param pidsEvents   {@code pids.events}: how often a fork hit pids.max
     * @param release      what happens to the cgroup once the attempt is over
     */
    AttemptCgroup(List<Path> dirs, Optional<Path> killFile, Optional<Path> freezer, Optional<Path> memoryEvents,
                  Optional<Path> pidsEvents, TaskLimits limits, Path shell, Optional<Path> setsid, Release release) {
        this.dirs = List.copyOf(dirs);
        this.members = dirs.get(0);
        this.killFile = killFile;
        this.freezer = freezer;
        this.memoryEvents = memoryEvents;
        this.pidsEvents = pidsEvents;
        this.limits = limits;
        this.oomKillsBefore = limits.memoryBytes() > 0 ? count(memoryEvents, "oom_kill") : 0;
        this.pidsRefusedBefore = limits.pids() > 0 ? count(pidsEvents, "max") : 0;
        this.shell = shell;
        this.setsid = setsid;
        this.release = release;
    }

    /** What becomes of the cgroup after the attempt. */
    interface Release {
        /** @param empty whether it was seen without members (else killing it failed) */
        void release(boolean empty);
    }

    /** A cgroup directory a previous agent run left: closing kills what is in it and removes it. */
    static AttemptCgroup stale(Path dir) {
        Optional<Path> killFile = Optional.of(dir.resolve("cgroup.kill")).filter(Files::exists);
        Optional<Path> freezer = Files.exists(dir.resolve("freezer.state")) ? Optional.of(dir) : Optional.empty();
        return new AttemptCgroup(List.of(dir), killFile, freezer, Optional.empty(), Optional.empty(), TaskLimits.NONE,
                Path.of("/bin/sh"), Optional.empty(), empty -> remove(dir));
    }

    @Override
    public List<String> launch(List<String> command) {
        StringBuilder script = new StringBuilder(setsid.isPresent() ? RESTORE_LC_ALL : "").append("for p in");
        for (Path dir : dirs) {
            script.append(' ').append(CgroupFiles.quote(dir.resolve("cgroup.procs").toString()));
        }
        script.append("; do echo $$ > \"$p\" || { echo \"drover: cannot join cgroup $p\" >&2; exit 125; }; done; exec \"$@\"");
        List<String> line = new ArrayList<>(command.size() + 5);
        setsid.ifPresent(path -> line.add(path.toString()));
        line.add(shell.toString());
        line.add("-c");
        line.add(script.toString());
        line.add("drover-task");
        line.addAll(command);
        return line;
    }

    @Override
    public List<Path> memberFiles() {
        return dirs.stream().map(dir -> dir.resolve("cgroup.procs")).toList();
    }

    /**
     * {@code setsid} runs with {@code LC_ALL=C}: util-linux's {@code setsid} loads the locale the environment
     * names (13 files for {@code C.UTF-8} where there is no locale archive), which cost a quarter of its CPU
     * time (1.7 against 2.2 ms for {@code setsid /bin/true}, {@code perf stat}). The shell after it gives
     * the command the job's own {@code LC_ALL} back, or none: {@value #SAVED_LC_ALL} holds {@code =value},
     * or is empty when it was unset.
     */
    @Override
    public void environment(Map<String, String> env) {
        // Membership is inherited through the cgroup: nothing to add for that.
        if (setsid.isPresent()) {
            String lcAll = env.get("LC_ALL");
            env.put(SAVED_LC_ALL, lcAll == null ? "" : "=" + lcAll);
            env.put("LC_ALL", "C");
        }
    }

    @Override
    public void stop(Process leader, Duration grace) {
        interruptSeen |= Thread.interrupted();
        try {
            if (!grace.isZero()) {
                leader.destroy();
                signalAll(false);
                if (awaitEmpty(grace) && awaitExit(leader, Duration.ZERO)) {
                    return;
                }
            }
            kill();
            // A leader stopped before its shell joined the cgroup is not in it yet: kill it directly,
            // then the cgroup again in case it joined and forked meanwhile.
            if (leader.isAlive()) {
                leader.destroyForcibly();
                awaitExit(leader, KILL_WAIT);
                kill();
            }
        } finally {
            restoreInterrupt();
        }
    }

    /** With cgroups what a command leaves behind is listed for free, so it goes with the attempt. */
    @Override
    public void ended(Process leader) {
        interruptSeen |= Thread.interrupted();
        try {
            emptied = CgroupFiles.procs(members).isEmpty() || kill();
        } finally {
            restoreInterrupt();
        }
    }

    @Override
    public void killLeftovers(Process leader) {
        ended(leader);
    }

    @Override
    public Optional<String> limitHit() {
        List<String> hits = new ArrayList<>(2);
        if (limits.memoryBytes() > 0 && count(memoryEvents, "oom_kill") > oomKillsBefore) {
            hits.add("killed: over its memory limit of " + TaskLimits.describeBytes(limits.memoryBytes()));
        }
        long forks = limits.pids() > 0 ? count(pidsEvents, "max") - pidsRefusedBefore : 0;
        if (forks > 0) {
            hits.add("hit its pids limit of " + limits.pids() + " (" + forks + " forks refused)");
        }
        return hits.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", hits));
    }

    private static long count(Optional<Path> file, String key) {
        return file.map(f -> CgroupFiles.keyed(f, key)).orElse(OptionalLong.empty()).orElse(0);
    }

    @Override
    public void close() {
        interruptSeen |= Thread.interrupted();
        try {
            boolean empty = emptied || CgroupFiles.procs(members).isEmpty() || kill();
            release.release(empty && thawed());
        } finally {
            restoreInterrupt();
        }
    }

    /** Kills every member until none is left: one write to cgroup.kill, else freeze-kill-thaw rounds; whether none is. */
    boolean kill() {
        killed = true;
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        for (int round = 0; round < KILL_ROUNDS && System.nanoTime() < deadline; round++) {
            if (killFile.isPresent() && round == 0) {
                try {
                    CgroupFiles.write(killFile.get(), "1");
                } catch (IOException e) {
                    log.warn("cannot write {}: {}; killing its processes one by one", killFile.get(), e.toString());
                }
            } else {
                boolean frozen = freeze("FROZEN");
                signalAll(true);
                if (frozen) {
                    freeze("THAWED"); // a frozen process dies of SIGKILL only once thawed
                }
            }
            if (awaitEmpty(Duration.ofMillis(round == 0 ? 500 : 100))) {
                return true;
            }
        }
        log.warn("cgroup {} still has processes {} after {} ms of killing", members, CgroupFiles.procs(members),
                KILL_WAIT.toMillis());
        return false;
    }

    /** Whether the cgroup is fit for another attempt: not left frozen by a kill whose thaw failed. */
    private boolean thawed() {
        if (!killed || freezer.isEmpty()) {
            return true;
        }
        try {
            return CgroupFiles.read(freezer.get().resolve("freezer.state")).equals("THAWED");
        } catch (IOException e) {
            return false;
        }
    }

    private boolean freeze(String state) {
        if (freezer.isEmpty()) {
            return false;
        }
        Path file = freezer.get().resolve("freezer.state");
        try {
            CgroupFiles.write(file, state);
            long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (!CgroupFiles.read(file).equals(state) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000);
            }
            return true;
        } catch (IOException e) {
            log.warn("cannot set {} to {}: {}", file, state, e.toString());
            return false;
        }
    }

    private void signalAll(boolean forcibly) {
        for (long pid : CgroupFiles.procs(members)) {
            ProcessHandle.of(pid).ifPresent(p -> {
                if (forcibly) {
                    p.destroyForcibly();
                } else {
                    p.destroy();
                }
            });
        }
    }

    private boolean awaitExit(Process leader, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (leader.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                leader.waitFor(left, java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interruptSeen = true;
            }
        }
        return true;
    }

    private void restoreInterrupt() {
        if (interruptSeen) {
            interruptSeen = false;
            Thread.currentThread().interrupt();
        }
    }

    /** Polls until the cgroup has no member, at most {@code wait}; interrupts are noted by the caller, not obeyed. */
    private boolean awaitEmpty(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        long pause = 1_000_000;
        while (!CgroupFiles.procs(members).isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(pause, left));
            interruptSeen |= Thread.interrupted(); // cleared so that parking still waits
            pause = Math.min(pause * 2, MAX_POLL_NANOS);
        }
        return true;
    }

    /** rmdir; an exiting process may keep the cgroup busy for a moment after it left cgroup.procs. */
    static void remove(Path dir) {
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (true) {
            try {
                Files.delete(dir);
                return;
            } catch (NoSuchFileException e) {
                return;
            } catch (FileSystemException e) { // EBUSY, or ENOTEMPTY while a member exits
                if (System.nanoTime() > deadline) {
                    log.warn("cannot remove cgroup {}: {}; the next agent start removes it", dir, e.toString());
                    return;
                }
                LockSupport.parkNanos(5_000_000);
            } catch (IOException e) {
                log.warn("cannot remove cgroup {}: {}", dir, e.toString());
                return;
            }
        }
    }
}
