package io.drover.cli.client;

import io.drover.cli.options.VersionProvider;

import io.drover.protocol.text.DurationText;
import io.drover.sdk.Codecs;
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
import java.util.List;
import picocli.CommandLine.Command;
import io.drover.web.api.JobDetails;
import io.drover.web.api.dto.Dtos;
import io.drover.web.api.dto.JobDetailJson;
import io.drover.web.api.dto.JobJson;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code drover status JOB}: a job's state, task counts, per-task attempts and result. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Show a job's state, task counts and, once it succeeded, its result.",
            "A result prints in the codec the job's code declared (utf8, int64, float64, int64-array of the SDK's "
                    + "Codecs); a job's own codec shows a short preview. Without a declared codec (process jobs) it "
                    + "prints as text when printable UTF-8, else as hex. --codec overrides (e.g. pi); text is cut "
                    + "after 4 KiB, hex after 1 KiB of bytes; --raw writes all the bytes."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the job succeeded or is still running (or waiting)",
            "1:the job failed, was cancelled or skipped",
            "2:bad usage, or the request was refused (e.g. unknown job)",
            "3:no leading coordinator answered",
            "5:any other error",
            "6:permission denied (the token may not read jobs)"})
public final class StatusCommand extends ClientCommand {
    private static final int MAX_SHARD_RESULTS = 20;

    @Parameters(paramLabel = "JOB", description = "Job id, as printed by submit.")
    String jobId;

    @Option(names = "--tasks", description = "List every task with its state, attempts, agent and error.")
    boolean tasks;

    @Option(names = "--codec", paramLabel = "CODEC", defaultValue = "auto", converter = ResultFormat.Converter.class,
            description = "How to print results: auto (the job's declared codec, else a guess), utf8, int64, float64, "
                    + "int64-array, hex, pi (default ${DEFAULT-VALUE}).")
    ResultFormat codec;

    @Option(names = "--raw", description = {"Write the result's exact bytes to stdout and nothing else "
            + "(exit 1 when the job has not succeeded).", "For a job with several shard results, pick one with --shard."})
    boolean raw;

    @Option(names = "--shard", paramLabel = "N", description = "With --raw: the result of shard N.")
    Integer shard;

    @Mixin
    OutputOption output;

    @Override
    protected int run(DroverClient client) {
        JobHandle job = client.job(jobId);
        if (raw) {
            return writeRaw(job);
        }
        if (shard != null) {
            throw new IllegalArgumentException("--shard applies to --raw");
        }
        JobStatus s = job.status(tasks);
        PrintWriter out = out();
        Instant now = Clock.systemUTC().instant();
        if (output.json()) {
            return printJson(job, s, now);
        }
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
        if (!s.placement().constraints().isEmpty()) {
            out.println("placement  " + SafeText.of(String.join(", ", s.placement().constraints())));
        }
        s.placement().spreadLabel().ifPresent(l -> out.println("spread     across " + SafeText.of(l)));
        s.placement().waiting().ifPresent(w -> out.println("waiting    " + SafeText.of(w)));
        s.placement().queueWait().ifPresent(w -> out.println("queued     " + SafeText.of(w.reason()) + ": "
                + SafeText.of(w.summary())));
        s.backups().ifPresent(b -> out.println("backups    " + b.started() + " started for slow tasks, " + b.won()
                + " won (the first result commits; the other attempt is cancelled)"));
        for (io.drover.sdk.Dependency.Status d : s.dependencies()) {
            out.println((d.pending() && s.state() == JobState.WAITING ? "waits for  " : "after      ") + SafeText.of(d.jobId())
                    + d.name().map(n -> " (" + SafeText.of(n) + ")").orElse("") + " to be " + d.condition().name().toLowerCase(java.util.Locale.ROOT)
                    + ", now " + d.state().map(Enum::name).orElse("unknown"));
        }
        if (tasks) {
            TextTable table = new TextTable("TASK", "STATE", "ATTEMPTS", "AGENT", "BACKUP", "ERROR");
            for (TaskStatus t : s.tasks()) {
                table.row(t.task(), t.state(), t.attempts(), t.agentId().orElse("-"),
                        t.backups() == 0 ? "-" : t.backupWon() ? "won" : "ran", t.error().orElse(""));
            }
            out.print(table.render());
        }
        if (s.state() == JobState.SUCCEEDED) {
            try {
                ResultPrinter.print(job, s, codec, "result     ", MAX_SHARD_RESULTS, out, "--raw",
                        i -> "--raw --shard " + i);
            } catch (DroverException e) {
                // The status above is still worth showing; say why the result is not.
                out.println("result     unavailable: " + SafeText.of(e.getMessage()));
            }
        }
        return notSucceeded(s.state()) ? JOB_NOT_SUCCEEDED : OK;
    }

    private static boolean notSucceeded(JobState state) {
        return state == JobState.FAILED || state == JobState.CANCELLED || state == JobState.SKIPPED;
    }

    /** The job as GET /api/v1/jobs/{id} answers it; with --tasks, and every task. */
    private int printJson(JobHandle job, JobStatus s, Instant now) {
        JobJson j = JobDetails.of(job, s, now, java.util.Optional.empty());
        OutputOption.print(out(), tasks ? new JobDetailJson(j, s.tasks().stream().map(Dtos::task).toList()) : j);
        return notSucceeded(s.state()) ? JOB_NOT_SUCCEEDED : OK;
    }

    /** {@code --raw}: the single result, or shard {@code --shard}'s, byte for byte on stdout. */
    private int writeRaw(JobHandle job) {
        JobStatus s = job.status(false);
        if (s.state() != JobState.SUCCEEDED) {
            err().println("drover: job " + SafeText.of(s.jobId()) + " is " + s.state() + ": no result");
            return JOB_NOT_SUCCEEDED;
        }
        byte[] bytes;
        if (shard == null && s.resultBytes().isPresent()) {
            bytes = s.resultBytes().get();
        } else if (shard == null && job.storedResult().isPresent()) {
            // Kept as a blob (large): streamed a chunk at a time, past the PrintWriter.
            job.writeResult(System.out);
            System.out.flush();
            return OK;
        } else {
            List<byte[]> shards = job.shardResults(Duration.ZERO, Codecs.bytes());
            if (shard == null && shards.size() != 1) {
                throw new IllegalArgumentException("job " + s.jobId() + " has " + shards.size()
                        + " shard results: give --shard N with --raw");
            }
            int i = shard == null ? 0 : shard;
            if (i < 0 || i >= shards.size()) {
                throw new IllegalArgumentException("job " + s.jobId() + " has shard results 0.." + (shards.size() - 1)
                        + "; there is no shard " + i);
            }
            bytes = shards.get(i);
        }
        // Past the PrintWriter, which would encode: the bytes go out as they are.
        System.out.write(bytes, 0, bytes.length);
        System.out.flush();
        return OK;
    }
}
