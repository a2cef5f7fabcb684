package io.drover.agent.contain;

/**
 * Per-attempt resource limits enforced through cgroups; 0 means none.
 *
 * @param memoryBytes memory (and, where the host has swap accounting, memory plus swap) of the whole
 *                    attempt; the kernel kills a process of it when the attempt goes over
 * @param pids        processes and threads the attempt may have at once; forks beyond fail
 */
public record TaskLimits(long memoryBytes, long pids) {
    public static final TaskLimits NONE = new TaskLimits(0, 0);
    /** Below this the shell that starts a task could not even run. */
    public static final long MIN_MEMORY_BYTES = 4L << 20;

    public TaskLimits {
        if (memoryBytes != 0 && memoryBytes < MIN_MEMORY_BYTES) {
            throw new IllegalArgumentException("memory limit must be 0 (none) or at least 4 MiB, was " + memoryBytes + " bytes");
        }
        if (pids < 0 || pids == 1) {
            throw new IllegalArgumentException("pids limit must be 0 (none) or at least 2, was " + pids);
        }
    }

    /** These limits with the memory a job asked for ({@code memoryMb} > 0) instead of the default. */
    public TaskLimits withJobMemoryMb(long memoryMb) {
        return memoryMb <= 0 ? this : new TaskLimits(Math.max(MIN_MEMORY_BYTES, memoryMb << 20), pids);
    }

    public boolean any() {
        return memoryBytes > 0 || pids > 0;
    }

    /** "512 MiB", "1.5 GiB": for error messages. */
    public static String describeBytes(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " bytes"
                : (value == Math.rint(value) ? String.format("%d %s", (long) value, units[unit])
                : String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]));
    }
}
