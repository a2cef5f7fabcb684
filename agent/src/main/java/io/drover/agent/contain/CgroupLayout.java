package io.drover.agent.contain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The cgroup hierarchies of the host and, in each, the directory of the agent's own cgroup (the
 * attempt cgroups nest below it, so limits the agent itself runs under still apply to its tasks).
 *
 * <p>Pure v2 ({@code /sys/fs/cgroup/cgroup.controllers}): one tree; limits through its memory and
 * pids controllers where they are delegated; stop through {@code cgroup.kill}. Hybrid or v1: the
 * v1 memory, pids and freezer hierarchies, plus the v2 tree mounted at {@code unified} when there
 * is one: it has no controllers but its {@code cgroup.kill} (kernel 5.14+) stops a whole attempt
 * in one write.
 *
 * @param v2        the agent's cgroup in the v2 tree (pure or unified), if there is one
 * @param pureV2    whether {@code v2} is the only tree (its controllers give the limits)
 * @param memoryV1  the agent's cgroup in the v1 memory hierarchy
 * @param pidsV1    the agent's cgroup in the v1 pids hierarchy
 * @param freezerV1 the agent's cgroup in the v1 freezer hierarchy
 */
public record CgroupLayout(Optional<Path> v2, boolean pureV2, Optional<Path> memoryV1, Optional<Path> pidsV1,
                           Optional<Path> freezerV1) {
    static final Path ROOT = Path.of("/sys/fs/cgroup");

    /** The host's layout, from /proc/self/cgroup and the usual mount points under /sys/fs/cgroup. */
    public static CgroupLayout host() throws IOException {
        return parse(ROOT, Files.readAllLines(Path.of("/proc/self/cgroup")));
    }

    static CgroupLayout parse(Path root, List<String> selfCgroup) {
        Optional<Path> v2 = Optional.empty();
        Optional<Path> memory = Optional.empty();
        Optional<Path> pids = Optional.empty();
        Optional<Path> freezer = Optional.empty();
        boolean pure = Files.exists(root.resolve("cgroup.controllers"));
        for (String line : selfCgroup) {
            String[] parts = line.split(":", 3);
            if (parts.length != 3 || !parts[2].startsWith("/")) {
                continue;
            }
            String own = parts[2].substring(1);
            if (parts[0].equals("0") && parts[1].isEmpty()) {
                Path tree = pure ? root : root.resolve("unified");
                if (Files.exists(tree.resolve("cgroup.procs"))) {
                    Path dir = tree.resolve(own);
                    // The leaf an agent of this JVM moved it into (CgroupContainment): its own cgroup is the one above.
                    boolean moved = dir.getFileName() != null && dir.getFileName().toString().matches("drover-agent-.+-jvm")
                            && !dir.equals(tree);
                    v2 = Optional.of(moved ? dir.getParent() : dir);
                }
            } else if (!pure) {
                for (String controller : parts[1].split(",")) {
                    Path dir = root.resolve(controller);
                    if (!Files.exists(dir.resolve("cgroup.procs"))) {
                        continue;
                    }
                    switch (controller) {
                        case "memory" -> memory = Optional.of(dir.resolve(own));
                        case "pids" -> pids = Optional.of(dir.resolve(own));
                        case "freezer" -> freezer = Optional.of(dir.resolve(own));
                        default -> { }
                    }
                }
            }
        }
        return new CgroupLayout(v2, pure && v2.isPresent(), memory, pids, freezer);
    }

    /** Without the v2 tree: v1 alone, stopped by freezing (what hosts before kernel 5.14 get). */
    public CgroupLayout v1Only() {
        return new CgroupLayout(Optional.empty(), false, memoryV1, pidsV1, freezerV1);
    }

    public boolean isEmpty() {
        return v2.isEmpty() && memoryV1.isEmpty() && pidsV1.isEmpty() && freezerV1.isEmpty();
    }
}
