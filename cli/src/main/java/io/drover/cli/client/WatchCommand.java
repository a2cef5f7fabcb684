package io.drover.cli.client;

import io.drover.cli.options.DurationConverter;
import io.drover.cli.options.VersionProvider;

import io.drover.sdk.DroverClient;
import io.drover.sdk.JobState;
import io.drover.sdk.JobStatus;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code drover watch JOB}: live progress until the job ends; exit 0 only if it SUCCEEDED. */
@Command(name = "watch", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Follow a job's progress until it ends.",
            "On a terminal one progress line is redrawn in place; otherwise a line is printed when "
                    + "counts change. While the job runs the line ends with its pace (tasks finished per second over "
                    + "the last minute) and the time left at that pace (ETA)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the job SUCCEEDED",
            "1:the job FAILED or was CANCELLED",
            "2:bad usage, or the request was refused (e.g. unknown job)",
            "3:no leading coordinator answered",
            "4:--timeout passed first (the job keeps running)",
            "5:any other error",
            "6:permission denied (the token may not read jobs)"})
public final class WatchCommand extends ClientCommand {
    @Parameters(paramLabel = "JOB", description = "Job id, as printed by submit.")
    String jobId;

    @Option(names = "--plain", description = "One line per change, even on a terminal.")
    boolean plain;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "7d",
            description = "Stop watching after this long (exit 4); the job keeps running (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    protected int run(DroverClient client) {
        boolean terminal = !plain && System.console() != null;
        JobStatus done = client.job(jobId).await(timeout, new ProgressPrinter(out(), terminal, Clock.systemUTC()));
        if (done.error() != null) {
            out().println("error: " + SafeText.of(done.error()));
        }
        out().flush();
        return done.state() == JobState.SUCCEEDED ? OK : JOB_NOT_SUCCEEDED;
    }
}
