package io.drover.cli.client;

import io.drover.cli.options.VersionProvider;

import io.drover.protocol.text.DurationText;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import io.drover.web.api.dto.Dtos;
import io.drover.web.api.dto.JobListJson;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code drover jobs}: a table of recent jobs. */
@Command(name = "jobs", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "List recent jobs with their state and progress.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the answer was printed",
            "2:bad usage, or the request was refused",
            "3:no leading coordinator answered",
            "5:any other error",
            "6:permission denied (no token, a refused one, or a role that may not read this)"})
public final class JobsCommand extends ClientCommand {
    @Option(names = "--limit", defaultValue = "50", description = "At most this many jobs (default ${DEFAULT-VALUE}).")
    int limit;

    @Mixin
    OutputOption output;

    @Override
    protected int run(DroverClient client) {
        Instant now = Clock.systemUTC().instant();
        if (output.json()) {
            List<JobStatus> jobs = client.jobs(limit);
            OutputOption.print(out(), new JobListJson(jobs.stream().map(j -> Dtos.job(j, now, Optional.empty())).toList(),
                    jobs.size()));
            return OK;
        }
        TextTable table = new TextTable("JOB", "NAME", "OWNER", "STATE", "DONE", "FAILED", "RUNNING", "AGE");
        for (JobStatus j : client.jobs(limit)) {
            table.row(j.jobId(), j.name(), j.owner(), state(j), (j.succeeded() + j.failed()) + "/" + j.totalTasks(),
                    j.failed(), j.running(), DurationText.age(Duration.between(j.submittedAt(), now)));
        }
        out().print(table.render());
        return OK;
    }

    /** The state; a waiting job names what it waits for. */
    private static String state(JobStatus j) {
        if (j.state() != io.drover.sdk.JobState.WAITING || j.waitingFor().isEmpty()) {
            return j.state().name();
        }
        return "WAITING on " + String.join(",", j.waitingFor().stream().map(io.drover.sdk.Dependency.Status::jobId).toList());
    }
}
