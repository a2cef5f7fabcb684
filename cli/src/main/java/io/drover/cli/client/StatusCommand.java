package io.drover.cli.client;

import io.drover.cli.options.VersionProvider;

import io.drover.protocol.text.DurationText;
import io.drover.sdk.DroverClient;
import io.drover.sdk.DroverException;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobState;
import io.drover.sdk.JobStatus;
import io.drover.sdk.TaskStatus;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code drover status JOB}: a job's state, task counts, per-task attempts and result. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Show a job's state, task counts and, once it succeeded, its result.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the job succeeded or is still running",
            "1:the job failed or was cancelled",
            "2:bad usage, or the request was refused (e.g. unknown job)",
            "3:no leading coordinator answered",
            "5:any other error"})
public final class StatusCommand extends ClientCommand {
    private static final int MAX_SHARD_RESULTS = 20;

    @Parameters(paramLabel = "JOB", description = "Job id, as printed by submit.")
    String jobId;

    @Option(names = "--tasks", description = "List every task with its state, attempts, agent and error.")
    boolean tasks;

    @Option(names = "--codec", paramLabel = "CODEC", defaultValue = "auto", converter = ResultFormat.Converter.class,
            description = "How to print results: auto, utf8, int64, float64, int64-array, hex, pi (default ${DEFAULT-VALUE}).")
    ResultFormat codec;

    @Override
    protected int run(DroverClient client) {
        JobHandle job = client.job(jobId);
        JobStatus s = job.status(tasks);
        PrintWriter out = out();
        Instant now = Clock.systemUTC().instant();
        out.println("job        " + SafeText.of(s.jobId()) + " (" + SafeText.of(s.name()) + ", owner "
                + SafeText.of(s.owner()) + ")");
        out.println("state      " + s.state());
        out.println("tasks      " + s.totalTasks() + " total: " + s.succeeded() + " succeeded, " + s.failed()
                + " failed, " + s.cancelled() + " cancelled, " + s.running() + " running, " + s.pending() + " pending");
        out.println("progress   " + ProgressBar.render(s, 30, Duration.between(s.submittedAt(), now)));
        out.println("submitted  " + s.submittedAt() + " (" + DurationText.age(Duration.between(s.submittedAt(), now)) + " ago)");
        s.finishedAt().ifPresent(f -> out.println("finished   " + f + " (took "
                + DurationText.age(Duration.between(s.submittedAt(), f)) + ")"));
        if (s.error() != null) {
            out.println("error      " + SafeText.of(s.error()));
        }
        if (tasks) {
            TextTable table = new TextTable("TASK", "STATE", "ATTEMPTS", "AGENT", "ERROR");
            for (TaskStatus t : s.tasks()) {
                table.row(t.task(), t.state(), t.attempts(), t.agentId().orElse("-"), t.error().orElse(""));
            }
            out.print(table.render());
        }
        if (s.state() == JobState.SUCCEEDED) {
            try {
                ResultPrinter.print(job, s, codec, "result     ", MAX_SHARD_RESULTS, out);
            } catch (DroverException e) {
                // The status above is still worth showing; say why the result is not.
                out.println("result     unavailable: " + SafeText.of(e.getMessage()));
            }
        }
        return s.state() == JobState.FAILED || s.state() == JobState.CANCELLED ? JOB_NOT_SUCCEEDED : OK;
    }
}
