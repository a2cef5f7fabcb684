package io.drover.bench;

import io.drover.agent.contain.Containment;
import io.drover.agent.contain.ContainmentMode;
import io.drover.agent.contain.ContainmentSettings;
import io.drover.agent.contain.Containments;
import io.drover.agent.contain.TaskLimits;
import io.drover.agent.exec.ProcessTaskExecutor;
import io.drover.agent.exec.ResultFiles;
import io.drover.agent.exec.TaskRejectedException;
import io.drover.agent.launch.LauncherMode;
import io.drover.agent.launch.NativeLauncher;
import io.drover.agent.logs.TaskOutputs;
import io.drover.agent.task.Execution;
import io.drover.agent.task.JobDescription;
import io.drover.agent.task.JobDescription.JobKind;
import io.drover.agent.task.JvmIsolation;
import io.drover.agent.task.TaskAssignment;
import io.drover.agent.task.TaskOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drover bench-launch}: the agent's process task launch path alone, without coordinator or
 * ZooKeeper: one thread runs {@code /bin/true} tasks through a {@link ProcessTaskExecutor} one after
 * another, then a shell loop starts as many {@code /bin/true}s. Prints tasks per second, the loop's
 * rate and their ratio, and the CPU per task of this JVM and of what it and its live children (the
 * native launcher) reaped.
 */
@Command(name = "bench-launch", mixinStandardHelpOptions = true,
        description = "Process task launches through the agent's executor alone (no coordinator): tasks/s against a shell "
                + "loop of /bin/true, and CPU per task. Compare --launcher native and jdk in one sitting.")
public final class LaunchBenchCommand implements Callable<Integer> {
    @Option(names = "--launcher", paramLabel = "auto|native|jdk", defaultValue = "auto", description = "As the agent's (default: ${DEFAULT-VALUE}).")
    String launcher;

    @Option(names = "--containment", paramLabel = "auto|cgroup|tracked", defaultValue = "auto", description = "As the agent's (default: ${DEFAULT-VALUE}).")
    String containment;

    @Option(names = "--tasks", defaultValue = "1000", description = "Tasks measured, after --warmup (default: ${DEFAULT-VALUE}).")
    int tasks;

    @Option(names = "--warmup", defaultValue = "200", description = "Tasks run first, not measured (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Override
    public Integer call() throws IOException, InterruptedException, TaskRejectedException {
        Path dir = Files.createTempDirectory("drover-bench-launch-");
        Containment contained = Containments.choose(new ContainmentSettings(ContainmentMode.parse(containment), TaskLimits.NONE),
                "bench-launch", dir);
        Optional<NativeLauncher> chosen = NativeLauncher.choose(LauncherMode.parse(launcher), "bench-launch");
        JobDescription job = new JobDescription("bench", JobKind.PROCESS, Optional.empty(), Optional.empty(), List.of("/bin/true"),
                List.of(), 10, Optional.empty(), 0, JvmIsolation.WORKER, Map.of(), Optional.empty());
        try (ProcessTaskExecutor executor = new ProcessTaskExecutor(new TaskOutputs(dir.resolve("tasks"), 1 << 20), contained,
                Duration.ofSeconds(1), "bench-launch", ResultFiles.inlineOnly(), chosen)) {
            for (int i = 0; i < warmup; i++) {
                run(executor, job, i);
            }
            long[] before = cpuTicks();
            long t0 = System.nanoTime();
            for (int i = 0; i < tasks; i++) {
                run(executor, job, warmup + i);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long[] after = cpuTicks();
            double raw = RawSpawnRate.shellLoop(tasks);
            System.out.printf(Locale.ROOT, "launcher=%s containment=%s tasks=%d tasks_per_s=%.0f raw_spawn_per_s=%.0f "
                            + "fraction_of_raw_spawn=%.2f cpu_ms_per_task=%.2f jvm_ms=%.2f%n", executor.launcherInUse(),
                    executor.containmentMechanism(), tasks, tasks / seconds, raw, tasks / seconds / raw,
                    (after[0] - before[0]) * 10.0 / tasks, (after[1] - before[1]) * 10.0 / tasks);
        } finally {
            try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return 0;
    }

    private static void run(ProcessTaskExecutor executor, JobDescription job, int i) throws TaskRejectedException, InterruptedException {
        Execution e = executor.execute(new TaskAssignment(i, "bench", i, Optional.empty(), false, List.of()), job);
        if (e.outcome() != TaskOutcome.SUCCEEDED) {
            throw new IllegalStateException("task " + i + " ended " + e.outcome() + ": " + e.error().orElse(""));
        }
    }

    /** {all: this JVM with what it and its live children reaped, jvm: this JVM's own threads}, in clock ticks (1/100 s). */
    private static long[] cpuTicks() throws IOException {
        long own = ticks(Path.of("/proc/self/stat"), false);
        long all = ticks(Path.of("/proc/self/stat"), true);
        for (ProcessHandle child : ProcessHandle.current().children().toList()) {
            try {
                all += ticks(Path.of("/proc/" + child.pid() + "/stat"), true);
            } catch (IOException e) {
                // ended meanwhile: what it spent went to this JVM's reaped children
            }
        }
        return new long[] {all, own};
    }

    private static long ticks(Path stat, boolean withReaped) throws IOException {
        String s = Files.readString(stat);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + (withReaped ? Long.parseLong(f[13]) + Long.parseLong(f[14]) : 0);
    }
}
