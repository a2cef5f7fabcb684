package io.drover.agent.contain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One reusable cgroup of the agent's pool, a directory {@code name} in every hierarchy used,
 * holding one attempt at a time, and the limits last written to it.
 *
 * @param v2      its directory in the v2 tree (pure or unified)
 * @param memory  in the v1 memory hierarchy
 * @param pids    in the v1 pids hierarchy
 * @param freezer in the v1 freezer hierarchy
 * @param limits  what its memory and pids files say now ({@link TaskLimits#NONE} when made)
 */
record CgroupSlot(String name, Optional<Path> v2, Optional<Path> memory, Optional<Path> pids, Optional<Path> freezer,
                  TaskLimits limits) {

    /** Every directory of it; the first one's {@code cgroup.procs} lists its members. */
    List<Path> dirs() {
        List<Path> dirs = new ArrayList<>(4);
        v2.ifPresent(dirs::add);
        memory.ifPresent(dirs::add);
        pids.ifPresent(dirs::add);
        freezer.ifPresent(dirs::add);
        return dirs;
    }

    CgroupSlot withLimits(TaskLimits now) {
        return new CgroupSlot(name, v2, memory, pids, freezer, now);
    }

    /** Removes its directories (it must be empty). */
    void remove() {
        dirs().forEach(AttemptCgroup::remove);
    }
}
