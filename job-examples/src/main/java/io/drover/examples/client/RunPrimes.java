package io.drover.examples.client;

import io.drover.examples.PrimeCount;
import io.drover.sdk.Codecs;
import io.drover.sdk.JobSpec;
import java.util.Set;

/**
 * Counts primes below N on a Drover cluster.
 * {@code RunPrimes [--coordinators H:P,..] [--jar job-examples.jar] [--shards 16] [--n 10000000]}
 */
public final class RunPrimes {
    private RunPrimes() {
    }

    public static void main(String[] argv) {
        RunnerArgs args = RunnerArgs.parse(argv, Set.of("--n"));
        String n = args.get("--n", "10000000");
        JobSpec spec = JobSpec.jvm(args.jar(), PrimeCount.class.getName()).name("primes")
                .shards(args.shards(16)).arguments(n).reduce(true).build();
        System.exit(Runner.run(args, spec,
                job -> "primes below " + n + ": " + job.result(Runner.TIMEOUT, Codecs.int64())));
    }
}
