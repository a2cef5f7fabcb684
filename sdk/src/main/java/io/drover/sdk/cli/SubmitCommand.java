package io.drover.sdk.cli;

import io.drover.sdk.DroverClient;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import io.drover.sdk.JobStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code drover submit}: submits a JVM or process job and prints its id. */
@Command(name = "submit", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {
            "Submit a job and print its id.",
            "A JVM job runs a ShardedJob class from a jar (--jar, uploaded if the coordinator lacks it, "
                    + "or --artifact SHA of one uploaded before); a process job runs --command once per shard.",
            "Shards are numbered 0..N-1 (--shards N), or one per --param value. Retrying with the same "
                    + "--idempotency-key never creates a second job."},
        footer = {"", "Examples:",
            "  drover submit --jar drover-job-examples.jar \\",
            "      --class io.drover.examples.MonteCarloPi --shards 16 --arg 1000000 \\",
            "      --reduce --wait --codec pi",
            "  drover submit --command \"python3 sweep.py\" --param 0.1 --param 0.2 \\",
            "      --label zone=eu"})
public final class SubmitCommand extends ClientCommand {
    @Option(names = "--jar", paramLabel = "PATH", description = "Job jar containing the entry class.")
    Path jar;

    @Option(names = "--artifact", paramLabel = "SHA256", description = "An already uploaded job jar, by its SHA-256.")
    String artifact;

    @Option(names = "--class", paramLabel = "NAME", description = "Entry class implementing io.drover.sdk.ShardedJob.")
    String entryClass;

    @Option(names = "--command", paramLabel = "\"CMD ARGS...\"",
            description = "Command line run per shard (split like a shell, never run by one).")
    String command;

    @Option(names = "--name", description = "Job name (default: the class's simple name or the command).")
    String name;

    @Option(names = "--owner", description = "Owner for fairness and listings (default: the user name).")
    String owner;

    @Option(names = "--shards", paramLabel = "N", description = "Number of shards (default 1; ignored with --param).")
    Integer shards;

    @Option(names = "--param", paramLabel = "P", description = "A shard parameter; repeat: one shard per value.")
    List<String> params = new ArrayList<>();

    @Option(names = "--arg", paramLabel = "A", description = "A job argument passed to every shard; repeatable.")
    List<String> args = new ArrayList<>();

    @Option(names = "--reduce", description = "Run the job's reduce step over all shard results as a final task.")
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

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "Same key, same job (default: random).")
    String idempotencyKey;

    @Option(names = "--wait", description = "Show progress until the job ends, then print its result.")
    boolean await;

    @Option(names = "--wait-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "7d", description = "Give up waiting after this long (default ${DEFAULT-VALUE}).")
    Duration waitTimeout;

    @Option(names = "--codec", paramLabel = "CODEC", defaultValue = "auto", converter = ResultFormat.Converter.class,
            description = "How to print results: auto, utf8, int64, float64, int64-array, hex, pi (default ${DEFAULT-VALUE}).")
    ResultFormat codec;

    @Option(names = "--plain", description = "With --wait: one progress line per change, even on a terminal.")
    boolean plain;

    @Override
    protected int run(DroverClient client) {
        JobHandle job = client.submit(spec());
        out().println(job.jobId());
        out().flush();
        if (!await) {
            return OK;
        }
        boolean terminal = !plain && System.console() != null;
        JobStatus done = job.await(waitTimeout, new ProgressPrinter(err(), terminal, Clock.systemUTC()));
        if (done.state() != JobState.SUCCEEDED) {
            err().println("drover: job " + done.jobId() + " " + done.state()
                    + (done.error() == null ? "" : ": " + done.error()));
            return JOB_NOT_SUCCEEDED;
        }
        ResultPrinter.print(job, done, codec, "", Integer.MAX_VALUE, out());
        return OK;
    }

    /** The job spec the options describe; @throws IllegalArgumentException for a bad combination. */
    JobSpec spec() {
        int kinds = (jar != null ? 1 : 0) + (artifact != null ? 1 : 0) + (command != null ? 1 : 0);
        if (kinds != 1) {
            throw new IllegalArgumentException("give exactly one of --jar, --artifact or --command");
        }
        JobSpec.Builder b;
        if (command != null) {
            if (entryClass != null) {
                throw new IllegalArgumentException("--class applies to --jar or --artifact, not --command");
            }
            List<String> words = CommandSplitter.split(command);
            b = JobSpec.process(words).name(name != null ? name : words.isEmpty() ? "job" : words.get(0));
        } else {
            if (entryClass == null) {
                throw new IllegalArgumentException("--class is required with " + (jar != null ? "--jar" : "--artifact"));
            }
            b = jar != null ? JobSpec.jvm(jar, entryClass) : JobSpec.jvmArtifact(artifact, entryClass);
            b.name(name != null ? name : entryClass.substring(entryClass.lastIndexOf('.') + 1));
        }
        if (owner != null) {
            b.owner(owner);
        }
        if (idempotencyKey != null) {
            b.idempotencyKey(idempotencyKey);
        }
        if (shards != null) {
            b.shards(shards);
        }
        return b.shardParameters(params).arguments(args).reduce(reduce).maxAttempts(maxAttempts)
                .taskTimeout(timeout).priority(priority).requiredLabels(labels).slotsPerTask(slotsPerTask)
                .memoryMb(memoryMb).build();
    }
}
