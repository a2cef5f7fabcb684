package io.drover.agent.platform;

import java.lang.management.ManagementFactory;

/** The machine's physical memory, which the agent reports so a job asking for more is known to wait. */
public final class MachineMemory {
    private MachineMemory() {
    }

    /** Total physical memory in MB, or 0 when the JVM cannot tell. */
    public static long totalMb() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getTotalMemorySize() / (1024 * 1024));
        }
        return 0;
    }
}
