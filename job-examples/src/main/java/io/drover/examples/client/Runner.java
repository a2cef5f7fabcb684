package io.drover.examples.client;

import io.drover.sdk.DroverClient;
import io.drover.sdk.DroverException;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobStatus;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/** Shared plumbing of the example runners: connect, submit, print progress, hand back the handle. */
final class Runner {
    static final Duration TIMEOUT = Duration.ofHours(1);

    private Runner() {
    }

    /**
     * Builds and submits {@code spec}, prints progress lines while it runs, then applies {@code onDone} to the
     * finished handle. Returns the process exit code: 0 on success, 1 on any Drover error.
     */
    static int run(RunnerArgs args, Supplier<JobSpec> spec, Function<JobHandle, String> onDone) {
        try (DroverClient client = DroverClient.connect(args.coordinators())) {
            JobHandle job = client.submit(spec.get());
            System.out.println("submitted " + job.jobId());
            int[] lastDone = {-1};
            job.await(TIMEOUT, s -> printProgress(s, lastDone));
            System.out.println(onDone.apply(job));
            return 0;
        } catch (DroverException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static void printProgress(JobStatus s, int[] lastDone) {
        int done = s.succeeded() + s.failed();
        if (done != lastDone[0] || s.state().isTerminal()) {
            lastDone[0] = done;
            System.out.printf("%s %d/%d tasks done, %d running%n", s.state(), done, s.totalTasks(), s.running());
        }
    }
}
