package io.drover.examples.client;

import io.drover.examples.ParameterSweep;
import io.drover.sdk.Codecs;
import io.drover.sdk.JobSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Sweeps x over an even grid on a Drover cluster, one shard per point, and prints the best point.
 * {@code RunSweep [--coordinators H:P,..] [--jar job-examples.jar] [--from -2] [--to 2] [--steps 41]}
 */
public final class RunSweep {
    private RunSweep() {
    }

    public static void main(String[] argv) {
        RunnerArgs args = RunnerArgs.parseOrExit(argv, Set.of("--from", "--to", "--steps"));
        Supplier<JobSpec> spec = () -> JobSpec.jvm(args.jar(), ParameterSweep.class.getName()).name("sweep")
                .shardParameters(grid(args.decimal("--from", -2), args.decimal("--to", 2),
                        (int) Math.min(10_000, args.number("--steps", 41))))
                .reduce(true).build();
        System.exit(Runner.run(args, spec, job -> "best: " + job.result(Runner.TIMEOUT, Codecs.utf8())));
    }

    static List<String> grid(double from, double to, int steps) {
        if (steps < 2) {
            throw new IllegalArgumentException("--steps must be at least 2, was " + steps);
        }
        List<String> out = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            out.add(Double.toString(from + (to - from) * i / (steps - 1)));
        }
        return out;
    }
}
