package io.drover.agent.contain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link TaskLimits} to a pooled cgroup: {@code memory.max} (and {@code memory.swap.max} 0)
 * and {@code pids.max} on v2, or {@code memory.limit_in_bytes} (and {@code memory.memsw.limit_in_bytes}
 * where swap is accounted) and {@code pids.max} on v1. Only what differs from the cgroup's current
 * limits is written, so an agent whose attempts all have the same limits writes nothing per attempt.
 */
final class CgroupLimits {
    private static final Logger log = LoggerFactory.getLogger(CgroupLimits.class);

    private final boolean v2Limits;

    /** @param v2Limits whether the v2 tree's controllers enforce limits (pure v2), else the v1 hierarchies do */
    CgroupLimits(boolean v2Limits) {
        this.v2Limits = v2Limits;
    }

    /** Sets {@code slot}'s limits to {@code wanted} (0: none, "max"); returns it as it is now. */
    CgroupSlot apply(CgroupSlot slot, TaskLimits wanted) throws IOException {
        TaskLimits now = slot.limits();
        if (now.memoryBytes() != wanted.memoryBytes()) {
            memory(slot, now.memoryBytes(), wanted.memoryBytes());
        }
        if (now.pids() != wanted.pids()) {
            CgroupFiles.write((v2Limits ? slot.v2() : slot.pids()).orElseThrow().resolve("pids.max"),
                    wanted.pids() > 0 ? Long.toString(wanted.pids()) : "max");
        }
        return slot.withLimits(wanted);
    }

    private void memory(CgroupSlot slot, long before, long after) throws IOException {
        if (v2Limits) {
            Path dir = slot.v2().orElseThrow();
            CgroupFiles.write(dir.resolve("memory.max"), after > 0 ? Long.toString(after) : "max");
            optional(dir.resolve("memory.swap.max"), after > 0 ? "0" : "max");
        } else {
            Path dir = slot.memory().orElseThrow();
            Path memsw = dir.resolve("memory.memsw.limit_in_bytes");
            String value = after > 0 ? Long.toString(after) : "-1";
            if (before > 0) {
                optional(memsw, "-1"); // memory+swap must stay >= memory: lifted before memory moves
            }
            CgroupFiles.write(dir.resolve("memory.limit_in_bytes"), value);
            if (after > 0) {
                optional(memsw, value);
            }
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
}
