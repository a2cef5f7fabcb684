package io.drover.cli.client;

import io.drover.cli.options.DurationConverter;
import io.drover.cli.options.VersionProvider;

import io.drover.sdk.DroverClient;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import io.drover.sdk.JobStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code drover submit}: submits a JVM or process job and prints its id. */
@Command(name = "submit", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        showEndOfOptionsDelimiterInUsageHelp = true,
        description = {
            "Submit a job and print its id.",
            "A JVM job runs a ShardedJob class from a jar (--jar, uploaded if the coordinator lacks it, "
                    + "or --artifact SHA of one uploaded before); a process job runs --command once per shard, or "
                    + "the words after --, taken as they are: drover submit [options] -- PROGRAM ARGS...",
            "Shards are numbered 0..N-1 (--shards N), or one per --param value. Retrying with the same "
                    + "--idempotency-key never creates a second job."},
        footer = {"", "Examples:",
            "  drover submit --jar drover-job-examples.jar \\",
            "      --class io.drover.examples.MonteCarloPi --shards 16 --arg 1000000 \\",
            "      --reduce --wait --codec pi",
            "  drover submit --command \"python3 sweep.py\" --param 0.1 --param 0.2 \\",
            "      --label zone=eu",
            "  drover submit --shards 4 -- sh -c 'echo shard $DROVER_SHARD_INDEX'",
            "  drover submit --after j3-7 --after j3-8:finished --on-upstream-failure skip -- ./report.sh"})
public final class SubmitCommand extends ClientCommand {
    private static final Duration INTERRUPT_CANCEL_DEADLINE = Duration.ofSeconds(5);

    @Option(names = "--name", description = "Job name (default: the class's simple name or the command).")
    String name;

    @Parameters(paramLabel = "PROGRAM ARGS", description = "After --: the command run per shard, word for word "
            + "(instead of --command).")
    List<String> argv = new ArrayList<>();

    @Mixin
    JobOptions jobOptions;

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "Same key, same job (default: random); the same key with a different spec is an error.")
    String idempotencyKey;

    @Option(names = "--after", paramLabel = "JOB[:succeeded|:finished]", description = {"Run only after job JOB "
            + "succeeded (:succeeded, the default) or ended however it ended (:finished); repeatable. Until then the "
            + "job is WAITING and none of its tasks runs.", "Unknown job ids are refused."})
    List<String> after = new ArrayList<>();

    @Option(names = "--on-upstream-failure", paramLabel = "fail|skip", defaultValue = "fail",
            description = "When a job it needed to succeed failed, was cancelled or skipped: this job FAILs "
                    + "(default) or is SKIPPED.")
    String onUpstreamFailure;

    @Option(names = "--wait", description = "Show progress until the job ends, then print its result.")
    boolean await;

    @Option(names = "--cancel-on-interrupt", description = "With --wait: Ctrl-C cancels the job (by default it keeps "
            + "running and drover says how to cancel it).")
    boolean cancelOnInterrupt;

    @Option(names = "--wait-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "7d", description = "Give up waiting after this long (default ${DEFAULT-VALUE}).")
    Duration waitTimeout;

    @Option(names = "--codec", paramLabel = "CODEC", defaultValue = "auto", converter = ResultFormat.Converter.class,
            description = "How to print results: auto (the job's declared codec, else a guess), utf8, int64, float64, "
                    + "int64-array, hex, pi (default ${DEFAULT-VALUE}).")
    ResultFormat codec;

    @Option(names = "--plain", description = "With --wait: one progress line per change, even on a terminal.")
    boolean plain;

    @Override
    protected int run(DroverClient client) {
        JobSpec spec = spec();
        if (cancelOnInterrupt && !await) {
            throw new IllegalArgumentException("--cancel-on-interrupt needs --wait");
        }
        JobHandle job = client.submit(spec);
        out().println(SafeText.of(job.jobId()));
        out().flush();
        if (!await) {
            return OK;
        }
        boolean terminal = !plain && System.console() != null;
        JobStatus done;
        try (InterruptGuard guard = InterruptGuard.install(InterruptGuard.action(job.jobId(), cancelOnInterrupt,
                this::cancelElsewhere, err()))) {
            done = job.await(waitTimeout, new ProgressPrinter(err(), terminal, Clock.systemUTC()));
        }
        if (done.state() != JobState.SUCCEEDED) {
            err().println("drover: job " + SafeText.of(done.jobId()) + " " + done.state()
                    + (done.error() == null ? "" : ": " + SafeText.of(done.error())));
            return JOB_NOT_SUCCEEDED;
        }
        ResultPrinter.print(job, done, codec, "", Integer.MAX_VALUE, out());
        return OK;
    }

    /** Cancels on a connection of its own, trying briefly: the JVM is exiting and the user waits. */
    private JobStatus cancelElsewhere(String jobId) {
        try (DroverClient c = coordinator.connect(INTERRUPT_CANCEL_DEADLINE)) {
            return c.job(jobId).cancel();
        }
    }

    /** The job spec the options describe; @throws IllegalArgumentException for a bad combination. */
    JobSpec spec() {
        JobSpec.Builder b = jobOptions.builder(name, argv);
        if (idempotencyKey != null) {
            b.idempotencyKey(idempotencyKey);
        }
        Dependencies.apply(b, after, onUpstreamFailure, "--after");
        return b.build();
    }
}
