package io.drover.sdk.cli;

import io.drover.sdk.DroverClient;
import io.drover.sdk.JobSpec;
import io.drover.sdk.MisfirePolicy;
import io.drover.sdk.OverlapPolicy;
import io.drover.sdk.ScheduleSpec;
import io.drover.sdk.ScheduleStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code drover schedule add NAME --cron ... (job options)}: adds a cron schedule. */
@Command(name = "add", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {
            "Add a cron schedule: every fire time starts one run of the job (a job named after the schedule).",
            "The job options are those of 'drover submit'. Cron syntax is Quartz's, seconds first.",
            "A fire time is run at most once, also across coordinator failovers; times missed while no "
                    + "coordinator led (or while paused) follow --misfire; a fire while the previous run still "
                    + "runs follows --overlap."},
        footer = {"", "Examples:",
            "  drover schedule add nightly-primes --cron \"0 30 2 * * ?\" --zone Europe/Berlin \\",
            "      --jar drover-job-examples.jar --class io.drover.examples.PrimeCount --shards 16 --arg 10000000",
            "  drover schedule add heartbeat --cron \"0 */5 * * * ?\" --command \"./probe.sh\" \\",
            "      --misfire SKIP --overlap FORBID"})
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

    @Option(names = "--jar", paramLabel = "PATH", description = "Job jar containing the entry class (uploaded now).")
    Path jar;

    @Option(names = "--artifact", paramLabel = "SHA256", description = "An already uploaded job jar, by its SHA-256.")
    String artifact;

    @Option(names = "--class", paramLabel = "NAME", description = "Entry class implementing io.drover.sdk.ShardedJob.")
    String entryClass;

    @Option(names = "--command", paramLabel = "\"CMD ARGS...\"", description = "Command line run per shard.")
    String command;

    @Option(names = "--owner", description = "Owner of the runs (default: the user name).")
    String owner;

    @Option(names = "--shards", paramLabel = "N", description = "Number of shards (default 1; ignored with --param).")
    Integer shards;

    @Option(names = "--param", paramLabel = "P", description = "A shard parameter; repeat: one shard per value.")
    List<String> params = new ArrayList<>();

    @Option(names = "--arg", paramLabel = "A", description = "A job argument passed to every shard; repeatable.")
    List<String> args = new ArrayList<>();

    @Option(names = "--reduce", description = "Run the job's reduce step as a final task.")
    boolean reduce;

    @Option(names = "--max-attempts", defaultValue = "3", description = "Attempts per task (default ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "0s",
            description = "Per-task timeout, e.g. 30s or 5m (default: none).")
    Duration timeout;

    @Option(names = "--priority", defaultValue = "0", description = "Higher runs first (default ${DEFAULT-VALUE}).")
    int priority;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Required agent label; repeatable.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--slots-per-task", defaultValue = "1", description = "Agent slots a task occupies (default ${DEFAULT-VALUE}).")
    int slotsPerTask;

    @Option(names = "--memory-mb", defaultValue = "0", description = "Memory per task in MiB (default: the agent's).")
    long memoryMb;

    @Override
    protected int run(DroverClient client) {
        ScheduleStatus s = client.addSchedule(spec());
        out().println("schedule " + s.name() + " added" + (s.spec().paused() ? " (paused)" : "")
                + (s.nextFireTimes().isEmpty() ? "" : "; next fire " + ScheduleFormat.time(s.nextFireTimes().get(0), s.spec().zone())));
        return OK;
    }

    /** The schedule the options describe; @throws IllegalArgumentException for a bad combination. */
    ScheduleSpec spec() {
        int kinds = (jar != null ? 1 : 0) + (artifact != null ? 1 : 0) + (command != null ? 1 : 0);
        if (kinds != 1) {
            throw new IllegalArgumentException("give exactly one of --jar, --artifact or --command");
        }
        JobSpec.Builder b;
        if (command != null) {
            if (entryClass != null) {
                throw new IllegalArgumentException("--class applies to --jar or --artifact, not --command");
            }
            b = JobSpec.process(CommandSplitter.split(command));
        } else {
            if (entryClass == null) {
                throw new IllegalArgumentException("--class is required with " + (jar != null ? "--jar" : "--artifact"));
            }
            b = jar != null ? JobSpec.jvm(jar, entryClass) : JobSpec.jvmArtifact(artifact, entryClass);
        }
        b.name(name == null || name.isBlank() ? "schedule" : name);
        if (owner != null) {
            b.owner(owner);
        }
        if (shards != null) {
            b.shards(shards);
        }
        JobSpec job = b.shardParameters(params).arguments(args).reduce(reduce).maxAttempts(maxAttempts)
                .taskTimeout(timeout).priority(priority).requiredLabels(labels).slotsPerTask(slotsPerTask)
                .memoryMb(memoryMb).build();
        return ScheduleSpec.builder(name, cron, job).zone(zone).misfire(misfire).maxCatchUp(maxCatchUp)
                .overlap(overlap).paused(paused).build();
    }
}
