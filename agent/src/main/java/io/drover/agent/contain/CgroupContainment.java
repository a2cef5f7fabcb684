package io.drover.agent.contain;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cgroup per attempt, {@code <agent's own cgroup>/drover-agent-<id>-<tag>/attempt-<attemptId>}
 * in every hierarchy used ({@link CgroupLayout}); {@code tag} is a hash of the agent's work
 * directory, so two agents with one id on one host (tests) never touch each other's cgroups while
 * a restarted agent finds its previous run's. Those are killed and removed at start: their
 * attempts were given up with that run.
 *
 * <p>Limits ({@link TaskLimits}) go to {@code memory.max} (and {@code memory.swap.max} 0) and
 * {@code pids.max} on v2, or {@code memory.limit_in_bytes} (and {@code memory.memsw.limit_in_bytes}
 * where swap is accounted) and {@code pids.max} on v1. A stop kills the attempt's cgroup with
 * {@code cgroup.kill} where the kernel has it, otherwise by freezing it and killing every member
 * until it is empty; then it is removed.
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
                made.ifPresent(AttemptCgroup::remove);
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
        String description = "cgroup: one per attempt under " + how + "; stop by "
                + (kill ? "cgroup.kill" : freezer.isPresent() ? "freezing and killing every member" : "killing every member until none is left")
                + "; limits: memory " + (limits.memoryBytes() > 0 ? TaskLimits.describeBytes(limits.memoryBytes()) : "none")
                + ", pids " + (limits.pids() > 0 ? limits.pids() : "none")
                + (unusable.isEmpty() ? "" : " (not used: " + String.join("; ", unusable) + ")");
        return new CgroupContainment(v2, v2Controllers, memory, pids, freezer, limits, description);
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
                removeStale(dir);
            } else {
                Files.createDirectory(dir);
            }
            return Optional.of(dir);
        } catch (IOException e) {
            unusable.add(dir + ": " + e);
            return Optional.empty();
        }
    }

    private static void removeStale(Path parent) throws IOException {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(parent, "attempt-*")) {
            for (Path child : children) {
                log.info("removing cgroup {} of a previous agent run, with any process still in it", child);
                new AttemptCgroup(List.of(child), kill(child), freezerOf(child), Optional.empty(), Optional.empty(),
                        TaskLimits.NONE, SHELL, Optional.empty()).close();
            }
        }
    }

    private static Optional<Path> kill(Path dir) {
        Path file = dir.resolve("cgroup.kill");
        return Files.exists(file) ? Optional.of(file) : Optional.empty();
    }

    private static Optional<Path> freezerOf(Path dir) {
        return Files.exists(dir.resolve("freezer.state")) ? Optional.of(dir) : Optional.empty();
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
    public Enclosure enclose(long attemptId, TaskLimits limits) throws IOException {
        String name = "attempt-" + attemptId;
        List<Path> made = new ArrayList<>(4);
        try {
            Optional<Path> v2Dir = make(v2, name, made);
            Optional<Path> memory = make(memoryV1, name, made);
            Optional<Path> pids = make(pidsV1, name, made);
            Optional<Path> freezer = make(freezerV1, name, made);
            TaskLimits applied = enforceable(limits);
            applyLimits(applied, v2Dir, memory, pids);
            Optional<Path> memoryEvents = v2Limits ? v2Dir.map(d -> d.resolve("memory.events"))
                    : memory.map(d -> d.resolve("memory.oom_control"));
            Optional<Path> pidsEvents = (v2Limits ? v2Dir : pids).map(d -> d.resolve("pids.events"));
            return new AttemptCgroup(made, v2Dir.flatMap(CgroupContainment::kill), freezer, memoryEvents, pidsEvents,
                    applied, SHELL, SETSID);
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
            // The same attempt again (an agent restart within one run's ids): start it clean.
            new AttemptCgroup(List.of(dir), kill(dir), freezerOf(dir), Optional.empty(), Optional.empty(),
                    TaskLimits.NONE, SHELL, Optional.empty()).kill();
        }
        made.add(dir);
        return Optional.of(dir);
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

    private void applyLimits(TaskLimits limits, Optional<Path> v2Dir, Optional<Path> memory, Optional<Path> pids)
            throws IOException {
        if (limits.memoryBytes() > 0) {
            String bytes = Long.toString(limits.memoryBytes());
            if (v2Limits) {
                CgroupFiles.write(v2Dir.orElseThrow().resolve("memory.max"), bytes);
                optional(v2Dir.get().resolve("memory.swap.max"), "0");
            } else {
                CgroupFiles.write(memory.orElseThrow().resolve("memory.limit_in_bytes"), bytes);
                optional(memory.get().resolve("memory.memsw.limit_in_bytes"), bytes); // after memory: it must stay >= it
            }
        }
        if (limits.pids() > 0) {
            CgroupFiles.write((v2Limits ? v2Dir : pids).orElseThrow().resolve("pids.max"), Long.toString(limits.pids()));
        }
    }

    /** Writes a file only some kernels have (swap accounting); its absence is not an error. */
    private static void optional(Path file, String value) {
        if (Files.exists(file)) {
            try {
                CgroupFiles.write(file, value);
            } catch (IOException e) {
                log.debug("cannot write {} to {}: {}", value, file, e.toString());
            }
        }
    }

    /** Removes the agent's parent cgroups; attempts still there (none once the supervisor closed) are killed first. */
    @Override
    public void close() {
        for (Optional<Path> parent : List.of(v2, memoryV1, pidsV1, freezerV1)) {
            if (parent.isEmpty()) {
                continue;
            }
            try {
                removeStale(parent.get());
            } catch (java.nio.file.NoSuchFileException e) {
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
