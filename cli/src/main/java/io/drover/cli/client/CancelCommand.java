package io.drover.cli.client;

import io.drover.cli.options.VersionProvider;

import io.drover.sdk.DroverClient;
import io.drover.sdk.JobStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code drover cancel JOB}. */
@Command(name = "cancel", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Cancel a job: pending tasks never start, running attempts are killed. "
                + "Cancelling a finished job changes nothing.")
public final class CancelCommand extends ClientCommand {
    @Parameters(paramLabel = "JOB", description = "Job id, as printed by submit.")
    String jobId;

    @Override
    protected int run(DroverClient client) {
        JobStatus s = client.job(jobId).cancel();
        out().println(SafeText.of(s.jobId()) + " " + s.state());
        return OK;
    }
}
