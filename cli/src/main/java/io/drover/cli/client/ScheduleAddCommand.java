package io.drover.cli.client;

import io.drover.cli.options.VersionProvider;

import io.drover.sdk.DroverClient;
import io.drover.sdk.JobSpec;
import io.drover.sdk.MisfirePolicy;
import io.drover.sdk.OverlapPolicy;
import io.drover.sdk.ScheduleSpec;
import io.drover.sdk.ScheduleStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code drover schedule add NAME --cron ... (job options | --workflow FILE)}: adds a cron schedule. */
@Command(name = "add", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {
            "Add a cron schedule: every fire time starts one run of the job (a job named after the schedule).",
            "The job options are those of 'drover submit'; or --workflow FILE (the file format of "
                    + "'drover workflow submit'): every fire then submits all jobs of the workflow at once.",
            "Cron syntax is Quartz's, seconds first.",
            "A fire time is run at most once, also across coordinator failovers; times missed while no "
                    + "coordinator led (or while paused) follow --misfire; a fire while the previous run still "
                    + "runs follows --overlap."},
        footer = {"", "Examples:",
            "  drover schedule add nightly-primes --cron \"0 30 2 * * ?\" --zone Europe/Berlin \\",
            "      --jar drover-job-examples.jar --class io.drover.examples.PrimeCount --shards 16 --arg 10000000",
            "  drover schedule add heartbeat --cron \"0 */5 * * * ?\" --command \"./probe.sh\" \\",
            "      --misfire SKIP --overlap FORBID",
            "  drover schedule add nightly-etl --cron \"0 0 3 * * ?\" --workflow etl.yaml --overlap FORBID"})
public final class ScheduleAddCommand extends ClientCommand {
    @Parameters(paramLabel = "NAME", description = "Schedule name: letters, digits, '.', '_', '-'.")
    String name;

    @Option(names = "--cron", required = true, paramLabel = "\"S M H DOM MON DOW [Y]\"",
            description = "Quartz cron expression, e.g. \"0 */5 * * * ?\" (every 5 minutes).")
    String cron;

    @Option(names = "--zone", defaultValue = "UTC", paramLabel = "ZONE",
            description = "Time zone the cron expression is read in, e.g. Europe/Berlin (default ${DEFAULT-VALUE}).")
    String zone;

    @Option(names = "--misfire", defaultValue = "FIRE_ONCE_NOW", paramLabel = "POLICY",
            description = "Missed fire times: FIRE_ONCE_NOW, SKIP or FIRE_ALL (default ${DEFAULT-VALUE}).")
    MisfirePolicy misfire;

    @Option(names = "--max-catch-up", defaultValue = "10", paramLabel = "N",
            description = "FIRE_ALL: at most N missed runs, the latest (default ${DEFAULT-VALUE}).")
    int maxCatchUp;

    @Option(names = "--overlap", defaultValue = "ALLOW", paramLabel = "POLICY",
            description = "A fire while the previous run runs: ALLOW, FORBID (skip) or REPLACE (cancel it) "
                    + "(default ${DEFAULT-VALUE}).")
    OverlapPolicy overlap;

    @Option(names = "--paused", description = "Add it paused; 'drover schedule resume' starts it.")
    boolean paused;

    @Option(names = "--workflow", paramLabel = "FILE",
            description = "Every fire submits all jobs of this workflow file (YAML or JSON, as 'drover workflow submit' "
                    + "reads), instead of one job; the job options do not apply. Its jobs may only depend on each other.")
    java.nio.file.Path workflow;

    @Mixin
    JobOptions jobOptions;

    @Override
    protected int run(DroverClient client) {
        ScheduleStatus s = client.addSchedule(spec());
        out().println("schedule " + SafeText.of(s.name()) + " added" + (s.spec().paused() ? " (paused)" : "")
                + (s.nextFireTimes().isEmpty() ? "" : "; next fire " + ScheduleFormat.time(s.nextFireTimes().get(0), s.spec().zone())));
        return OK;
    }

    /** The schedule the options describe; @throws IllegalArgumentException for a bad combination. */
    ScheduleSpec spec() {
        ScheduleSpec.Builder b;
        if (workflow != null) {
            if (jobOptions.jar != null || jobOptions.artifact != null || jobOptions.command != null
                    || jobOptions.entryClass != null) {
                throw new IllegalArgumentException("--workflow replaces --jar, --artifact, --class and --command: "
                        + "each job of the workflow file says what it runs");
            }
            b = ScheduleSpec.builder(name, cron, WorkflowFile.read(workflow, "schedule"));
        } else {
            JobSpec runs = jobOptions.builder(name == null || name.isBlank() ? "schedule" : name).build();
            b = ScheduleSpec.builder(name, cron, runs);
        }
        return b.zone(zone).misfire(misfire).maxCatchUp(maxCatchUp)
                .overlap(overlap).paused(paused).build();
    }
}
