package io.drover.bench.core;

import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drover bench-core}: the JMH benchmark of the pure scheduling core ({@link SchedulerBench}),
 * in a forked JVM as JMH wants. The last line: {@code events_per_s=E tasks_per_s=T} (each event a
 * heartbeat carrying {@code slots} results and taking as many new tasks).
 */
@Command(name = "bench-core", mixinStandardHelpOptions = true,
        description = {"JMH benchmark of the scheduling core alone (no ZooKeeper, Thrift or threads):",
                "heartbeats with results and new assignments through one Scheduler.",
                "Last line: events_per_s=E tasks_per_s=T slots=S agents=A"})
public final class CoreBenchCommand implements Callable<Integer> {
    @Option(names = "--slots", defaultValue = "64", description = "Slots per agent (results and tasks per heartbeat). Default: ${DEFAULT-VALUE}")
    int slots;

    @Option(names = "--agents", defaultValue = "16", description = "Agents taking turns. Default: ${DEFAULT-VALUE}")
    int agents;

    @Option(names = "--shards", defaultValue = "100000", description = "Shards per job (a new job follows each). Default: ${DEFAULT-VALUE}")
    int shards;

    @Option(names = "--iterations", defaultValue = "5", description = "JMH measurement iterations of 2 s (after 3 of warm-up). Default: ${DEFAULT-VALUE}")
    int iterations;

    @Option(names = "--forks", defaultValue = "1", description = "JMH forks. Default: ${DEFAULT-VALUE}")
    int forks;

    @Override
    public Integer call() throws RunnerException {
        if (slots < 1 || agents < 1 || shards < 1 || iterations < 1 || forks < 1) {
            System.err.println("bench-core: --slots, --agents, --shards, --iterations and --forks must be >= 1");
            return 2;
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(SchedulerBench.class.getName() + ".heartbeat")
                .param("slots", Integer.toString(slots))
                .param("agents", Integer.toString(agents))
                .param("shards", Integer.toString(shards))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(2))
                .forks(forks);
        Collection<RunResult> results = new Runner(options.build()).run();
        for (RunResult run : results) {
            Result<?> events = run.getPrimaryResult();
            Result<?> tasks = run.getSecondaryResults().get("tasks");
            System.out.printf(Locale.ROOT, "events_per_s=%.0f events_error=%.0f tasks_per_s=%.0f slots=%d agents=%d%n",
                    events.getScore(), events.getScoreError(), tasks == null ? Double.NaN : tasks.getScore(), slots, agents);
        }
        return results.isEmpty() ? 1 : 0;
    }
}
