package io.drover.examples.client;

import io.drover.examples.PrimeCount;
import io.drover.sdk.Codecs;
import io.drover.sdk.JobSpec;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Counts primes below N on a Drover cluster.
 * {@code RunPrimes [--coordinators H:P,..] [--jar job-examples.jar] [--shards 16] [--n 10000000]}
 */
public final class RunPrimes {
    private RunPrimes() {
    }

    public static void main(String[] argv) {
        RunnerArgs args = RunnerArgs.parseOrExit(argv, Set.of("--n"));
        Supplier<JobSpec> spec = () -> JobSpec.jvm(args.jar(), PrimeCount.class.getName()).name("primes")
                .shards(args.shards(16)).reduce(true)
                .arguments(Long.toString(args.number("--n", PrimeCount.DEFAULT_N))).build();
        System.exit(Runner.run(args, spec, job -> "primes below " + args.number("--n", PrimeCount.DEFAULT_N)
                + ": " + job.result(Runner.TIMEOUT, Codecs.int64())));
    }
}
