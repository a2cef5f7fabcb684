package io.drover.cli.client;

import io.drover.cli.options.DurationConverter;

import io.drover.sdk.Isolation;
import io.drover.sdk.JobSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The job definition options shared by {@code drover submit} and {@code drover schedule add}:
 * what runs (a jar, an uploaded artifact or a command), how it is sharded, and its task policy.
 * A new job option added here applies to one-off jobs and scheduled runs alike.
 */
public final class JobOptions {
    @Option(names = "--jar", paramLabel = "PATH",
            description = "Job jar containing the entry class (uploaded if the coordinator lacks it).")
    Path jar;

    @Option(names = "--artifact", paramLabel = "SHA256", description = "An already uploaded job jar, by its SHA-256.")
    String artifact;

    @Option(names = "--class", paramLabel = "NAME", description = "Entry class implementing io.drover.sdk.ShardedJob.")
    String entryClass;

    @Option(names = "--command", paramLabel = "\"CMD ARGS...\"",
            description = {"Command line run per shard, never by a shell. Split into words at whitespace: single quotes keep "
                    + "text as is; double quotes keep whitespace, and \\ escapes $ ` \" \\ in them; outside quotes \\ "
                    + "escapes any character; nothing is expanded ($VAR, globs, pipes).",
                    "Quoting through your own shell too is error-prone: submit takes the words as they are after --.",
                    "Exit 0: the task's result is the file it wrote at $DROVER_RESULT_FILE (any size up to the agent's "
                            + "--max-result-size), else the last 64 KiB of its stdout."})
    String command;

    @Option(names = "--owner", description = "Owner for fairness and listings; only an admin token may name someone else (default: the token's identity).")
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

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Required agent label (the constraint KEY = VALUE); repeatable.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--constraint", paramLabel = "EXPR",
            description = {"Agent label constraint; repeatable, all must hold: 'gpu in (a100,h100)', 'site != edge-3',",
                    "'ssd exists', also =, 'not in (...)', 'not exists'."})
    List<String> constraints = new ArrayList<>();

    @Option(names = "--spread", paramLabel = "LABEL",
            description = "Balance the job's running tasks across the values of this agent label (e.g. site).")
    String spread;

    @Option(names = "--backups", paramLabel = "on|off",
            description = {"Straggler backups: a task running far longer than the job's median while slots are idle gets a",
                    "second attempt on another agent; the first result wins. Default: on for --jar/--artifact jobs, off",
                    "for commands (their side effects would happen twice)."})
    String backups;

    @Option(names = "--slots-per-task", defaultValue = "1", description = "Agent slots a task occupies (default ${DEFAULT-VALUE}).")
    int slotsPerTask;

    @Option(names = "--memory-mb", defaultValue = "0", description = "Memory per task in MiB (default: the agent's).")
    long memoryMb;

    @Option(names = "--lost-after", paramLabel = "DURATION", converter = DurationConverter.class,
            description = {"How long this job's tasks on an unreachable agent are left alone before they run elsewhere,",
                    "e.g. 2h (default: the agent pool's disconnect policy)."})
    Duration lostAfter;

    @Option(names = "--in-agent",
            description = {"Run a JVM job's tasks inside the agent's JVM instead of a worker JVM: less overhead per task,",
                    "no protection from System.exit, running out of memory or crashes. For trusted, short tasks."})
    boolean inAgent;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "For a command: an environment variable for every task; repeatable.")
    Map<String, String> environment = new LinkedHashMap<>();

    @Option(names = "--secret-env", paramLabel = "NAME=VALUE", description = {"For a command: a secret environment variable for",
            "every task; repeatable. Stored encrypted, shown only as NAME=***. A value on the command line is visible",
            "to other local users (ps) and in shell history: prefer --secret-env-file."})
    Map<String, String> secretEnvironment = new LinkedHashMap<>();

    @Option(names = "--secret-env-file", paramLabel = "FILE", description = "For a command: secret variables, one NAME=VALUE "
            + "a line (blank lines and lines starting with # are skipped); like --secret-env.")
    java.nio.file.Path secretEnvironmentFile;

    @Option(names = "--workdir", paramLabel = "DIR", description = "For a command: directory the tasks run in, on the agent "
            + "(absolute, must exist there; relative: inside the task's own directory). Default: the task's directory.")
    String workdir;

    /**
     * A builder holding every option given; the caller adds what is its own (idempotency key) and builds.
     *
     * @param name the job name, or null for the entry class's simple name or the command's first word
     * @throws IllegalArgumentException when not exactly one of --jar, --artifact, --command is given,
     *     or --class is missing or misplaced
     */
    JobSpec.Builder builder(String name) {
        return builder(name, null);
    }

    /**
     * As {@link #builder(String)}, for a command that also takes the job's command as arguments after
     * {@code --}: {@code argv}, empty when none were given, or null when the command takes none.
     */
    JobSpec.Builder builder(String name, List<String> argv) {
        boolean hasArgv = argv != null && !argv.isEmpty();
        int kinds = (jar != null ? 1 : 0) + (artifact != null ? 1 : 0) + (command != null ? 1 : 0) + (hasArgv ? 1 : 0);
        if (kinds != 1) {
            throw new IllegalArgumentException(argv == null ? "give exactly one of --jar, --artifact or --command"
                    : "give exactly one of --jar, --artifact, --command or -- PROGRAM ARGS...");
        }
        JobSpec.Builder b;
        String defaultName;
        if (command != null || hasArgv) {
            if (entryClass != null) {
                throw new IllegalArgumentException("--class applies to --jar or --artifact, not a command");
            }
            List<String> words = hasArgv ? List.copyOf(argv) : CommandSplitter.split(command);
            b = JobSpec.process(words);
            defaultName = words.isEmpty() ? "job" : words.get(0);
        } else {
            if (entryClass == null) {
                throw new IllegalArgumentException("--class is required with " + (jar != null ? "--jar" : "--artifact"));
            }
            b = jar != null ? JobSpec.jvm(jar, entryClass) : JobSpec.jvmArtifact(artifact, entryClass);
            defaultName = entryClass.substring(entryClass.lastIndexOf('.') + 1);
        }
        b.name(name != null ? name : defaultName);
        if (owner != null) {
            b.owner(owner);
        }
        if (shards != null) {
            b.shards(shards);
        }
        b.shardParameters(params).arguments(args).reduce(reduce).maxAttempts(maxAttempts)
                .taskTimeout(timeout).priority(priority).requiredLabels(labels).slotsPerTask(slotsPerTask)
                .memoryMb(memoryMb).lostAfter(lostAfter).isolation(inAgent ? Isolation.IN_AGENT : Isolation.WORKER)
                .environment(environment).workingDirectory(workdir).secretEnvironment(secrets())
                .constraints(constraints).spreadAcross(spread);
        if (backups != null) {
            b.backups(onOff(backups, "--backups"));
        }
        return b;
    }

    /** {@code on}/{@code off} (or true/false, yes/no), as an option or workflow setting says it. */
    static boolean onOff(String value, String what) {
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new IllegalArgumentException(what + " must be on or off, was '" + value + "'");
        };
    }

    /** --secret-env and --secret-env-file together; a name given twice is refused (never echoing a value). */
    Map<String, String> secrets() {
        Map<String, String> all = new LinkedHashMap<>(secretEnvironment);
        if (secretEnvironmentFile != null) {
            SecretEnvFile.read(secretEnvironmentFile).forEach((name, value) -> {
                if (all.put(name, value) != null) {
                    throw new IllegalArgumentException("secret variable " + name + " is given twice (--secret-env and "
                            + secretEnvironmentFile + ")");
                }
            });
        }
        return all;
    }
}
