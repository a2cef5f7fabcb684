package io.drover.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * CPU spent by this benchmark's processes between two points, split the way issue 15 needs it: the
 * bench JVM (coordinator, ZooKeeper and agents in one process) and its child worker JVMs, each with
 * its JIT compiler threads apart. Read from Linux {@code /proc} (per thread {@code utime+stime});
 * children already reaped (recycled workers, tasks the JDK started) count through the bench JVM's
 * {@code cutime+cstime}, and those a live child reaped (the tasks of the agents' native launchers) through
 * that child's; both in the worker columns.
 * Unlike tasks/s, CPU per task hardly moves when other work shares the machine.
 */
record CpuSplit(long benchTicks, long benchJitTicks, long workerTicks, long workerJitTicks) {
    private static final Path PROC = Path.of("/proc");
    private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux

    /** Now; empty where there is no {@code /proc}. */
    static Optional<CpuSplit> now() {
        Path self = PROC.resolve("self");
        if (!Files.isDirectory(self.resolve("task"))) {
            return Optional.empty();
        }
        long[] bench = threads(self);
        long reaped = fields(self.resolve("stat")).map(f -> f[2] + f[3]).orElse(0L);
        long[] workers = {reaped, 0};
        ProcessHandle.current().children().forEach(child -> {
            Path process = PROC.resolve(Long.toString(child.pid()));
            long[] w = threads(process);
            // What a live child reaped: the native launcher's attempts (tasks and their reapers) land there.
            workers[0] += w[0] + fields(process.resolve("stat")).map(f -> f[2] + f[3]).orElse(0L);
            workers[1] += w[1];
        });
        return Optional.of(new CpuSplit(bench[0], bench[1], workers[0], workers[1]));
    }

    /** The CPU from {@code before} to this, in ms per task. */
    String perTask(CpuSplit before, int tasks) {
        double bench = ms(benchTicks - before.benchTicks, tasks);
        double workers = ms(workerTicks - before.workerTicks, tasks);
        return String.format(Locale.ROOT, "cpu_ms_per_task=%.3f bench_jvm=%.3f bench_jit=%.3f worker_jvms=%.3f worker_jit=%.3f",
                bench + workers, bench, ms(benchJitTicks - before.benchJitTicks, tasks), workers,
                ms(workerJitTicks - before.workerJitTicks, tasks));
    }

    private static double ms(long ticks, int tasks) {
        return ticks * 1000.0 / TICKS_PER_SECOND / Math.max(1, tasks);
    }

    /** All threads' utime+stime of one process, and of its JIT compiler threads; zeros once it is gone. */
    private static long[] threads(Path process) {
        long[] sum = {0, 0};
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(process.resolve("task"))) {
            for (Path task : tasks) {
                String comm = read(task.resolve("comm")).strip();
                fields(task.resolve("stat")).ifPresent(f -> {
                    sum[0] += f[0] + f[1];
                    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                        sum[1] += f[0] + f[1];
                    }
                });
            }
        } catch (IOException e) {
            // the process (or a thread) ended meanwhile: what it spent is no longer readable here
        }
        return sum;
    }

    /** utime, stime, cutime, cstime of a {@code stat} file (fields 14-17; the name in parentheses may hold spaces). */
    private static Optional<long[]> fields(Path stat) {
        String s = read(stat);
        int close = s.lastIndexOf(')');
        if (close < 0) {
            return Optional.empty();
        }
        String[] f = s.substring(close + 2).split(" ");
        if (f.length < 15) {
            return Optional.empty();
        }
        return Optional.of(new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])});
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
