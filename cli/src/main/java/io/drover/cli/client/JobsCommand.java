package io.drover.cli.client;

import io.drover.cli.options.VersionProvider;

import io.drover.protocol.text.DurationText;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code drover jobs}: a table of recent jobs. */
@Command(name = "jobs", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "List recent jobs with their state and progress.")
public final class JobsCommand extends ClientCommand {
    @Option(names = "--limit", defaultValue = "50", description = "At most this many jobs (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    protected int run(DroverClient client) {
        Instant now = Clock.systemUTC().instant();
        TextTable table = new TextTable("JOB", "NAME", "OWNER", "STATE", "DONE", "FAILED", "RUNNING", "AGE");
        for (JobStatus j : client.jobs(limit)) {
            table.row(j.jobId(), j.name(), j.owner(), j.state(), (j.succeeded() + j.failed()) + "/" + j.totalTasks(),
                    j.failed(), j.running(), DurationText.age(Duration.between(j.submittedAt(), now)));
        }
        out().print(table.render());
        return OK;
    }
}
