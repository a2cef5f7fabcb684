package io.drover.agent.contain;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of cgroups below {@code <agent's own cgroup>/drover-agent-<id>-<tag>} in every hierarchy
 * used ({@link CgroupLayout}), {@code slot-<n>}, each holding one attempt at a time: an attempt
 * takes an idle one (made when none is idle, so the pool grows to the most attempts run at once),
 * and gives it back once it is over and its cgroup is seen empty. Making and removing a cgroup in
 * four hierarchies per attempt cost a third of the launch rate of short tasks; reused, an attempt
 * costs no cgroup syscall beyond the shell joining it, unless its limits differ from the
 * previous attempt's ({@link CgroupLimits}). {@code tag} is a hash of the agent's work
 * directory, so two agents with one id on one host (tests) never touch each other's cgroups while
 * a restarted agent finds its previous run's. Those are killed and removed at start: their
 * attempts were given up with that run; so are other agents' parents that no running agent holds
 * and no process is in ({@link AgentCgroups}), left by agents killed with {@code kill -9}.
 *
 * <p>Limits ({@link TaskLimits}) apply to each attempt on its own: its cgroup holds nothing else.
 * A stop kills the attempt's cgroup with {@code cgroup.kill} where the kernel has it, otherwise
 * by freezing it and killing every member until it is empty. A cgroup that cannot be emptied is
 * removed from the pool (and from the tree, once the kernel lets it).
 */
public final class CgroupContainment implements Containment {
    private static final Logger log = LoggerFactory.getLogger(CgroupContainment.class);
    private static final Path SHELL = Path.of("/bin/sh");
    /** Each attempt leads its own process group, as under tracking; without setsid it shares the agent's. */
    private static final Optional<Path> SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid").map(Path::of)
            .filter(Files::isExecutable).findFirst();

    private final Optional<Path> v2;
    private final boolean v2Limits;
    private final Set<String> v2Controllers;
    private final Optional<Path> memoryV1;
    private final Optional<Path> pidsV1;
    private final Optional<Path> freezerV1;
    private final TaskLimits limits;
    private final String description;
    private final CgroupLimits limitWriter;
    /** Idle cgroups, most recently used first; bounded by the most attempts ever run at once, and by MAX_IDLE. */
    private final Deque<CgroupSlot> idle = new ArrayDeque<>();
    private final AtomicLong slotNumbers = new AtomicLong();
    /** More idle cgroups than this (after a burst of attempts beyond the usual) are removed as they come back. */
    private static final int MAX_IDLE = 256;

    private CgroupContainment(Optional<Path> v2, Set<String> v2Controllers, Optional<Path> memoryV1, Optional<Path> pidsV1,
                              Optional<Path> freezerV1, TaskLimits limits, String description) {
        this.v2 = v2;
        this.v2Controllers = v2Controllers;
        this.v2Limits = !v2Controllers.isEmpty();
        this.memoryV1 = memoryV1;
        this.pidsV1 = pidsV1;
        this.freezerV1 = freezerV1;
        this.limits = limits;
        this.description = description;
        this.limitWriter = new CgroupLimits(v2Limits);
    }

    /**
     * Makes this agent's parent cgroup in every hierarchy of {@code layout} it may write, after
     * removing a previous run's attempts.
     *
     * @throws IOException when no hierarchy is writable, or {@code limits} need a controller that is not
     */
    public static CgroupContainment create(CgroupLayout layout, String agentId, Path workDir, TaskLimits limits)
            throws IOException {
        if (!Files.isExecutable(SHELL)) {
            throw new IOException(SHELL + " is missing: it starts each task inside its cgroup");
        }
        String name = "drover-agent-" + agentId + "-" + tag(workDir);
        List<String> unusable = new ArrayList<>();
        Optional<Path> v2 = parent(layout.v2(), name, unusable);
        Set<String> v2Controllers = v2.isPresent() && layout.pureV2() ? delegate(layout.v2().get(), v2.get(), unusable) : Set.of();
        Optional<Path> memory = layout.pureV2() ? Optional.empty() : parent(layout.memoryV1(), name, unusable);
        Optional<Path> pids = layout.pureV2() ? Optional.empty() : parent(layout.pidsV1(), name, unusable);
        Optional<Path> freezer = layout.pureV2() ? Optional.empty() : parent(layout.freezerV1(), name, unusable);
        if (v2.isEmpty() && memory.isEmpty() && pids.isEmpty() && freezer.isEmpty()) {
            throw new IOException("no cgroup hierarchy is writable" + (unusable.isEmpty() ? "" : ": " + String.join("; ", unusable)));
        }
        String missing = limits.memoryBytes() > 0 && !v2Controllers.contains("memory") && memory.isEmpty() ? "memory"
                : limits.pids() > 0 && !v2Controllers.contains("pids") && pids.isEmpty() ? "pids" : null;
        if (missing != null) {
            for (Optional<Path> made : List.of(v2, memory, pids, freezer)) {
                made.ifPresent(CgroupContainment::removeParent);
            }
            throw new IOException("a " + missing + " limit needs the " + missing + " controller, which this agent cannot use: "
                    + unusable);
        }
        boolean kill = v2.isPresent() && Files.exists(v2.get().resolve("cgroup.kill"));
        List<String> v1 = new ArrayList<>(3);
        memory.ifPresent(d -> v1.add("memory"));
        pids.ifPresent(d -> v1.add("pids"));
        freezer.ifPresent(d -> v1.add("freezer"));
        String how = String.join(" + ", v2.map(d -> (layout.pureV2() ? "v2 " : "v2 (unified) ") + d).stream().toList())
                + (v1.isEmpty() ? "" : (v2.isPresent() ? " + " : "") + "v1 " + String.join(", ", v1) + " " + name);
        String description = "cgroup: a pool reused from one attempt to the next under " + how + "; stop by "
                + (kill ? "cgroup.kill" : freezer.isPresent() ? "freezing and killing every member" : "killing every member until none is left")
                + "; limits: memory " + (limits.memoryBytes() > 0 ? TaskLimits.describeBytes(limits.memoryBytes()) : "none")
                + ", pids " + (limits.pids() > 0 ? limits.pids() : "none")
                + (unusable.isEmpty() ? "" : " (not used: " + String.join("; ", unusable) + ")");
        return new CgroupContainment(v2, v2Controllers, memory, pids, freezer, limits, description);
    }

    private static void removeParent(Path parent) {
        try {
            AgentCgroups.clear(parent, false);
        } catch (IOException e) {
            log.warn("cannot clear cgroup {}: {}", parent, e.toString());
        }
        AttemptCgroup.remove(parent);
    }

    private static String tag(Path workDir) {
        return String.format("%08x", workDir.toAbsolutePath().normalize().toString().hashCode());
    }

    /** Makes {@code own/name}, clearing a previous run's attempts in it; empty when this hierarchy is not writable. */
    private static Optional<Path> parent(Optional<Path> own, String name, List<String> unusable) {
        if (own.isEmpty()) {
            return Optional.empty();
        }
        Path dir = own.get().resolve(name);
        try {
            if (Files.isDirectory(dir)) {
                AgentCgroups.clear(dir, true);
            } else {
                Files.createDirectory(dir);
            }
            AgentCgroups.mark(dir);
            AgentCgroups.removeAbandoned(own.get(), name);
            return Optional.of(dir);
        } catch (IOException e) {
            unusable.add(dir + ": " + e);
            return Optional.empty();
        }
    }

    private static Optional<Path> kill(Path dir) {
        Path file = dir.resolve("cgroup.kill");
        return Files.exists(file) ? Optional.of(file) : Optional.empty();
    }

    /**
     * v2: attempts get memory and pids controllers only if the agent's own cgroup and its parent
     * cgroup delegate them. The kernel refuses controllers to a cgroup that holds processes and
     * has children, so when the agent's own cgroup holds the agent (systemd {@code Delegate=yes}
     * gives the service its cgroup, with the agent in it) the agent first moves itself into a leaf
     * beside its attempts' parent, {@code <name>-jvm}, as systemd's delegation rules ask.
     */
    private static Set<String> delegate(Path own, Path parent, List<String> unusable) {
        Set<String> offered;
        try {
            offered = new HashSet<>(List.of(CgroupFiles.read(own.resolve("cgroup.controllers")).split("\\s+")));
        } catch (IOException e) {
            unusable.add("controllers of " + own + ": " + e);
            return Set.of();
        }
        offered.retainAll(Set.of("memory", "pids"));
        if (offered.isEmpty()) {
            unusable.add("no memory or pids controller offered to " + own);
            return Set.of();
        }
        String wanted = offered.stream().sorted().map(c -> "+" + c).collect(Collectors.joining(" "));
        try {
            try {
                CgroupFiles.write(own.resolve("cgroup.subtree_control"), wanted);
            } catch (IOException busy) {
                Path leaf = own.resolve(parent.getFileName() + "-jvm");
                if (!Files.isDirectory(leaf)) {
                    Files.createDirectory(leaf);
                }
                CgroupFiles.write(leaf.resolve("cgroup.procs"), Long.toString(ProcessHandle.current().pid()));
                log.info("moved the agent into cgroup {} so that {} can delegate {} to its attempts", leaf, own, wanted);
                CgroupFiles.write(own.resolve("cgroup.subtree_control"), wanted);
            }
            CgroupFiles.write(parent.resolve("cgroup.subtree_control"), wanted);
            return Set.copyOf(offered);
        } catch (IOException e) {
            unusable.add("controllers " + wanted + " in " + own + ": " + e
                    + " (give the agent a cgroup of its own with them, e.g. systemd Delegate=yes)");
            return Set.of();
        }
    }

    @Override
    public String mechanism() {
        return "cgroup";
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public TaskLimits limits() {
        return limits;
    }

    @Override
    public Enclosure enclose(long attemptId, TaskLimits wanted) throws IOException {
        TaskLimits applied = enforceable(wanted);
        CgroupSlot slot = limited(take(applied), applied);
        Optional<Path> memoryEvents = v2Limits ? slot.v2().map(d -> d.resolve("memory.events"))
                : slot.memory().map(d -> d.resolve("memory.oom_control"));
        Optional<Path> pidsEvents = (v2Limits ? slot.v2() : slot.pids()).map(d -> d.resolve("pids.events"));
        return new AttemptCgroup(slot.dirs(), slot.v2().flatMap(CgroupContainment::kill), slot.freezer(), memoryEvents,
                pidsEvents, applied, SHELL, SETSID, empty -> giveBack(slot, empty));
    }

    /** An idle cgroup, one with {@code limits} if there is one; null when none is idle. */
    private CgroupSlot take(TaskLimits limits) {
        synchronized (idle) {
            for (Iterator<CgroupSlot> it = idle.iterator(); it.hasNext(); ) {
                CgroupSlot slot = it.next();
                if (slot.limits().equals(limits)) {
                    it.remove();
                    return slot;
                }
            }
            return idle.pollFirst();
        }
    }

    /** {@code slot} (or a new cgroup when null) with {@code limits}; a reused one that refuses them is replaced. */
    private CgroupSlot limited(CgroupSlot slot, TaskLimits limits) throws IOException {
        if (slot != null) {
            try {
                return limitWriter.apply(slot, limits);
            } catch (IOException | RuntimeException e) {
                // E.g. v1 refuses a memory limit below what the cgroup still holds (page cache of earlier attempts).
                log.debug("cgroup {} refused limits {} ({}); using a new one", slot.name(), limits, e.toString());
                slot.remove();
            }
        }
        CgroupSlot made = make();
        try {
            return limitWriter.apply(made, limits);
        } catch (IOException | RuntimeException e) {
            made.remove();
            throw e;
        }
    }

    private CgroupSlot make() throws IOException {
        String name = "slot-" + slotNumbers.incrementAndGet();
        List<Path> made = new ArrayList<>(4);
        try {
            return new CgroupSlot(name, make(v2, name, made), make(memoryV1, name, made), make(pidsV1, name, made),
                    make(freezerV1, name, made), TaskLimits.NONE);
        } catch (IOException | RuntimeException e) {
            made.forEach(AttemptCgroup::remove);
            throw e;
        }
    }

    private static Optional<Path> make(Optional<Path> parent, String name, List<Path> made) throws IOException {
        if (parent.isEmpty()) {
            return Optional.empty();
        }
        Path dir = parent.get().resolve(name);
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            // Left by a containment of this agent closed meanwhile (tests): start it clean.
            AttemptCgroup.stale(dir).kill();
        }
        made.add(dir);
        return Optional.of(dir);
    }

    private void giveBack(CgroupSlot slot, boolean empty) {
        // An unreadable cgroup.procs reads as empty; a cgroup removed under us must not be handed out again.
        if (empty && Files.isDirectory(slot.dirs().get(0))) {
            synchronized (idle) {
                if (idle.size() < MAX_IDLE) {
                    idle.addFirst(slot);
                    return;
                }
            }
        }
        slot.remove();
    }

    /**
     * What of {@code wanted} the controllers here can enforce. The agent's defaults always can (it
     * refused to start otherwise); a job's own memory (its memoryMb) on a host without a usable
     * memory controller cannot, and then stays what it was before cgroups: a placement request.
     */
    private TaskLimits enforceable(TaskLimits wanted) {
        boolean memory = v2Limits ? v2Controllers.contains("memory") : memoryV1.isPresent();
        boolean pids = v2Limits ? v2Controllers.contains("pids") : pidsV1.isPresent();
        return new TaskLimits(memory ? wanted.memoryBytes() : 0, pids ? wanted.pids() : 0);
    }

    /** Removes the agent's parent cgroups; attempts still there (none once the supervisor closed) are killed first. */
    @Override
    public void close() {
        synchronized (idle) {
            idle.clear();
        }
        for (Optional<Path> parent : List.of(v2, memoryV1, pidsV1, freezerV1)) {
            if (parent.isEmpty()) {
                continue;
            }
            try {
                AgentCgroups.clear(parent.get(), false);
            } catch (NoSuchFileException e) {
                continue; // removed already (another containment of the same agent and work dir: tests)
            } catch (IOException e) {
                log.warn("cannot clear cgroup {}: {}", parent.get(), e.toString());
            }
            AttemptCgroup.remove(parent.get());
        }
    }

    /** Whether a stop is one write to the v2 {@code cgroup.kill} (kernel 5.14+). */
    public boolean cgroupKill() {
        return v2.flatMap(CgroupContainment::kill).isPresent();
    }
}
