package io.drover.bench;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code drover bench-placement}: the pure core's assignment rate with plain, constrained and spread jobs. */
@Command(name = "bench-placement", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Tasks assigned and committed per second by the scheduling core alone (no network, no store):",
            "agents heartbeat in turn, report their previous tasks done and take new ones. One line per mode:",
            "plain jobs; jobs with two label constraints that half the agents meet; jobs spread across four sites."})
public final class PlacementBenchCommand implements Callable<Integer> {
    @Option(names = "--agents", defaultValue = "200", description = "Agents. Default: ${DEFAULT-VALUE}")
    int agents;

    @Option(names = "--slots", defaultValue = "8", description = "Slots per agent. Default: ${DEFAULT-VALUE}")
    int slots;

    @Option(names = "--jobs", defaultValue = "20", description = "Jobs queued at once. Default: ${DEFAULT-VALUE}")
    int jobs;

    @Option(names = "--tasks", defaultValue = "10000", description = "Tasks per job. Default: ${DEFAULT-VALUE}")
    int tasks;

    @Option(names = "--rounds", defaultValue = "3", description = "Runs per mode (the first warms up). Default: ${DEFAULT-VALUE}")
    int rounds;

    @Override
    public Integer call() {
        for (PlacementBench.Mode mode : List.of(PlacementBench.Mode.PLAIN, PlacementBench.Mode.CONSTRAINT,
                PlacementBench.Mode.SPREAD)) {
            double best = 0;
            for (int r = 0; r < rounds; r++) {
                PlacementBench.Result result = PlacementBench.run(mode, agents, slots, jobs, tasks);
                if (r > 0 || rounds == 1) {
                    best = Math.max(best, result.tasksPerSecond());
                }
            }
            System.out.printf("mode=%s agents=%d slots=%d jobs=%d tasks/job=%d best-of-%d tasks/s=%.0f%n", mode.name().toLowerCase(),
                    agents, slots, jobs, tasks, Math.max(1, rounds - 1), best);
        }
        return 0;
    }
}
