package io.drover.examples.client;

import io.drover.examples.MonteCarloPi;
import io.drover.sdk.Codecs;
import io.drover.sdk.JobSpec;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Estimates pi on a Drover cluster.
 * {@code RunPi [--coordinators H:P,..] [--jar job-examples.jar] [--shards 16] [--samples 1000000]}
 */
public final class RunPi {
    private RunPi() {
    }

    public static void main(String[] argv) {
        RunnerArgs args = RunnerArgs.parseOrExit(argv, Set.of("--samples"));
        Supplier<JobSpec> spec = () -> JobSpec.jvm(args.jar(), MonteCarloPi.class.getName()).name("pi")
                .shards(args.shards(16)).reduce(true)
                .arguments(Long.toString(args.number("--samples", MonteCarloPi.DEFAULT_SAMPLES))).build();
        System.exit(Runner.run(args, spec, job -> {
            long[] r = job.result(Runner.TIMEOUT, Codecs.int64Array());
            return String.format(Locale.ROOT, "pi ~ %.6f (%d hits / %d samples, error %.2e)",
                    MonteCarloPi.estimate(r), r[0], r[1], Math.abs(MonteCarloPi.estimate(r) - Math.PI));
        }));
    }
}
