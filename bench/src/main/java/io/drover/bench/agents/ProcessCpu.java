package io.drover.bench.agents;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time a process has used (user plus system, every thread), from /proc/PID/stat. */
public final class ProcessCpu {
    /** Linux reports /proc times in USER_HZ, 100 a second on every architecture the JDK runs on. */
    static final long TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    /** CPU seconds {@code pid} has used so far. */
    public static double seconds(long pid) throws IOException {
        return parseTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII))
                / (double) TICKS_PER_SECOND;
    }

    /**
     * utime + stime (fields 14 and 15) of a stat line. The command name (field 2) is in parentheses
     * and may hold spaces and parentheses itself, so fields are counted after its last ')'.
     */
    static long parseTicks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc stat line: " + stat);
        }
        String[] f = stat.substring(close + 2).trim().split(" +");
        // f[0] is field 3 (state), so field n is f[n - 3]
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
