package io.drover.sdk;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What to run: either a JVM job (a job jar plus the {@link ShardedJob} entry class) or a process
 * job (a command run once per shard), split into shards. Built with {@link #jvm} or
 * {@link #process}; {@link Builder#build()} checks every field and names the one that is wrong.
 */
public final class JobSpec {
    /** Upper bounds the SDK checks before anything is sent; the coordinator enforces its own too. */
    public static final int MAX_SHARDS = 1_000_000;
    /** Placement constraints per job. */
    public static final int MAX_CONSTRAINTS = 32;
    /** The most bytes (UTF-8) one shard parameter may have. */
    public static final int MAX_PARAMETER_BYTES = 4096;
    /** The shortest {@link Builder#lostAfter(Duration)}. */
    public static final Duration MIN_LOST_AFTER = Duration.ofSeconds(1);
    /** The longest {@link Builder#lostAfter(Duration)}. */
    public static final Duration MAX_LOST_AFTER = Duration.ofDays(30);

    /** What a job's tasks run. */
    public enum Kind {
        /** A {@link ShardedJob} class from a job jar, in a JVM on the agent. */
        JVM,
        /** A command, run once per shard as a process tree on the agent. */
        PROCESS
    }

    private final Builder b;

    private JobSpec(Builder b) {
        this.b = b;
    }

    /**
     * A JVM job from a local jar, uploaded by {@link DroverClient#submit} when the coordinator
     * lacks it. The jar must carry the job's own dependencies (a fat jar); the agent gives it the
     * public SDK and the JDK, nothing else.
     *
     * @param jobJar the job jar
     * @param entryClass the fully qualified name of its {@link ShardedJob} class
     * @return a builder for the rest of the spec
     */
    public static Builder jvm(Path jobJar, String entryClass) {
        Builder b = new Builder(Kind.JVM);
        b.jobJar = jobJar;
        b.entryClass = entryClass;
        return b;
    }

    /**
     * A JVM job whose jar was uploaded before (see {@link DroverClient#uploadArtifact(Path)}).
     *
     * @param artifactSha256 the jar's lowercase hex SHA-256, as the upload returned it
     * @param entryClass the fully qualified name of its {@link ShardedJob} class
     * @return a builder for the rest of the spec
     */
    public static Builder jvmArtifact(String artifactSha256, String entryClass) {
        Builder b = new Builder(Kind.JVM);
        b.artifactSha256 = artifactSha256;
        b.entryClass = entryClass;
        return b;
    }

    /**
     * A process job: {@code command} (program and arguments, never split further) runs once per
     * shard; the file it writes at {@code $DROVER_RESULT_FILE} (up to the agent's {@code --max-result-size})
     * is the shard's result, or without that file the last 64 KiB of its stdout.
     *
     * @param command the program and its arguments
     * @return a builder for the rest of the spec
     */
    public static Builder process(List<String> command) {
        Builder b = new Builder(Kind.PROCESS);
        b.command = List.copyOf(command);
        return b;
    }

    /** {@return what the tasks run} */
    public Kind kind() { return b.kind; }
    /** {@return the name, for people; not unique} */
    public String name() { return b.name; }
    /** {@return the owner; empty means the caller's identity (its token's subject)} */
    public String owner() { return b.owner; }
    /** {@return the key that makes a retried submit return the same job} */
    public String idempotencyKey() { return b.idempotencyKey; }
    /** {@return the local jar to upload, if the spec names one (JVM jobs)} */
    public Optional<Path> jobJar() { return Optional.ofNullable(b.jobJar); }
    /** {@return the SHA-256 of a jar uploaded before, if the spec names one (JVM jobs)} */
    public Optional<String> artifactSha256() { return Optional.ofNullable(b.artifactSha256); }
    /** {@return the {@link ShardedJob} class (JVM jobs)} */
    public Optional<String> entryClass() { return Optional.ofNullable(b.entryClass); }
    /** {@return the program and its arguments (process jobs; empty for JVM jobs)} */
    public List<String> command() { return b.command; }
    /** {@return the number of shards: of shard parameters when given, else {@link Builder#shards(int)}} */
    public int shardCount() { return b.shardParameters.isEmpty() ? b.shards : b.shardParameters.size(); }
    /** {@return one parameter per shard, or empty} */
    public List<String> shardParameters() { return b.shardParameters; }
    /** {@return the arguments every shard gets} */
    public List<String> arguments() { return b.arguments; }
    /** {@return the agent slots one task occupies} */
    public int slotsPerTask() { return b.slotsPerTask; }
    /** {@return the attempts per task before the job fails} */
    public int maxAttempts() { return b.maxAttempts; }
    /** {@return how long one attempt may run; zero means no limit} */
    public Duration taskTimeout() { return b.taskTimeout; }
    /** {@return whether the job's reduce step runs as a final task} */
    public boolean reduce() { return b.reduce; }
    /** {@return the priority: higher runs first} */
    public int priority() { return b.priority; }
    /** {@return the labels an agent must have to run the tasks} */
    public Map<String, String> requiredLabels() { return b.requiredLabels; }
    /** {@return the memory per task in MB (a JVM task's heap); zero means the agent's default} */
    public long memoryMb() { return b.memoryMb; }
    /** {@return this job's override of the agent pool's disconnect policy; empty: the pool's applies} */
    public Optional<Duration> lostAfter() { return Optional.ofNullable(b.lostAfter); }
    /** {@return where the tasks run on the agent (JVM jobs)} */
    public Isolation isolation() { return b.isolation; }
    /** {@return variables added to each task's environment (process jobs; the agent's DROVER_* ones are set too)} */
    public Map<String, String> environment() { return b.environment; }
    /** {@return where each task runs (process jobs); empty means the task's own directory on the agent} */
    public Optional<String> workingDirectory() { return Optional.ofNullable(b.workingDirectory); }
    /** {@return variables whose values the coordinator stores encrypted and never shows (process jobs)} */
    public Map<String, String> secretEnvironment() { return b.secretEnvironment; }
    /** {@return the placement constraints over agent labels, as written (each must hold)} */
    public List<String> constraints() { return b.constraints; }
    /** {@return the agent label whose values the job's running tasks are balanced across, if any} */
    public Optional<String> spreadLabel() { return Optional.ofNullable(b.spreadLabel); }

    /** {@return whether the leader may back up the job's straggling tasks; empty: the kind's default (on for JVM, off for process jobs)} */
    public Optional<Boolean> backups() { return Optional.ofNullable(b.backups); }

    /** @return the jobs this one waits for (empty: it runs at once) */
    public List<Dependency> dependencies() { return b.dependencies; }

    /** @return whether the job fails or is skipped when a dependency it needed to succeed did not */
    public Dependency.UpstreamFailure onUpstreamFailure() { return b.onUpstreamFailure; }

    /** Sets a job's fields; {@link #build()} checks them all. Each setter returns this builder. */
    public static final class Builder {
        private final Kind kind;
        private String name = "job";
        /** Empty: the coordinator makes the caller's identity (its token's subject) the owner. */
        private String owner = "";
        private String idempotencyKey = UUID.randomUUID().toString();
        private Path jobJar;
        private String artifactSha256;
        private String entryClass;
        private List<String> command = List.of();
        private int shards = 1;
        private List<String> shardParameters = List.of();
        private List<String> arguments = List.of();
        private int slotsPerTask = 1;
        private int maxAttempts = 3;
        private Duration taskTimeout = Duration.ZERO;
        private boolean reduce;
        private int priority;
        private Map<String, String> requiredLabels = Map.of();
        private long memoryMb;
        private Duration lostAfter;
        private Isolation isolation = Isolation.WORKER;
        private Map<String, String> environment = Map.of();
        private String workingDirectory;
        private Map<String, String> secretEnvironment = Map.of();
        private List<String> constraints = List.of();
        private String spreadLabel;
        private Boolean backups;
        private List<Dependency> dependencies = List.of();
        private Dependency.UpstreamFailure onUpstreamFailure = Dependency.UpstreamFailure.FAIL;

        private Builder(Kind kind) {
            this.kind = kind;
        }

        /**
         * A name for people (1..200 characters); default {@code job}.
         *
         * @param name the value
         * @return this builder
         */
        public Builder name(String name) { this.name = name; return this; }
        /**
         * The owner; empty (the default) makes the caller's identity the owner. A coordinator with
         * authentication may refuse another owner.
         *
         * @param owner the value
         * @return this builder
         */
        public Builder owner(String owner) { this.owner = owner; return this; }
        /**
         * Retrying a submit with the same key never creates a second job. Defaults to a random UUID.
         *
         * @param key the value
         * @return this builder
         */
        public Builder idempotencyKey(String key) { this.idempotencyKey = key; return this; }
        /**
         * How many shards, 1..{@value JobSpec#MAX_SHARDS}; default 1.
         *
         * @param shards the value
         * @return this builder
         */
        public Builder shards(int shards) { this.shards = shards; return this; }
        /**
         * One shard per parameter; overrides {@link #shards(int)}.
         *
         * @param parameters the value
         * @return this builder
         */
        public Builder shardParameters(List<String> parameters) { this.shardParameters = List.copyOf(parameters); return this; }
        /**
         * Arguments every shard gets ({@link ShardContext#arguments()}).
         *
         * @param arguments the value
         * @return this builder
         */
        public Builder arguments(List<String> arguments) { this.arguments = List.copyOf(arguments); return this; }
        /**
         * Arguments every shard gets ({@link ShardContext#arguments()}).
         *
         * @param arguments the value
         * @return this builder
         */
        public Builder arguments(String... arguments) { return arguments(List.of(arguments)); }
        /**
         * Agent slots one task occupies; default 1.
         *
         * @param slots the value
         * @return this builder
         */
        public Builder slotsPerTask(int slots) { this.slotsPerTask = slots; return this; }
        /**
         * Attempts per task (retried with backoff) before the job fails; default 3.
         *
         * @param attempts the value
         * @return this builder
         */
        public Builder maxAttempts(int attempts) { this.maxAttempts = attempts; return this; }
        /**
         * Zero means no timeout.
         *
         * @param timeout the value
         * @return this builder
         */
        public Builder taskTimeout(Duration timeout) { this.taskTimeout = timeout; return this; }
        /**
         * Whether {@link ShardedJob#reduce} runs, as a final task, once every shard succeeded.
         *
         * @param reduce the value
         * @return this builder
         */
        public Builder reduce(boolean reduce) { this.reduce = reduce; return this; }
        /**
         * Higher runs first; default 0.
         *
         * @param priority the value
         * @return this builder
         */
        public Builder priority(int priority) { this.priority = priority; return this; }
        /**
         * Labels an agent must have (all of them) to run the tasks.
         *
         * @param labels the value
         * @return this builder
         */
        public Builder requiredLabels(Map<String, String> labels) { this.requiredLabels = Map.copyOf(labels); return this; }
        /**
         * Memory per task in MB (a worker JVM's heap); 0, the default, means the agent's default.
         *
         * @param memoryMb the value
         * @return this builder
         */
        public Builder memoryMb(long memoryMb) { this.memoryMb = memoryMb; return this; }
        /**
         * How long this job's attempts on a silent (unreachable) agent are left alone before they run
         * elsewhere, instead of the agent pool's policy: shorter for urgent work, longer for work
         * that must not run twice. Counted from the agent's last heartbeat; 1 s to 30 days; null
         * (the default) keeps the pool's policy.
         *
         * @param lostAfter the value
         * @return this builder
         */
        public Builder lostAfter(Duration lostAfter) { this.lostAfter = lostAfter; return this; }
        /**
         * Where a JVM job's tasks run: {@link Isolation#WORKER} (default, a warm child JVM on the agent)
         * or {@link Isolation#IN_AGENT} (the agent's own JVM, for trusted short tasks).
         *
         * @param isolation the value
         * @return this builder
         */
        public Builder isolation(Isolation isolation) { this.isolation = isolation; return this; }
        /**
         * Process jobs: extra environment variables for every task. Names are letters, digits and
         * '_'; {@code DROVER_*} names are reserved for the ones the agent sets.
         *
         * @param environment the value
         * @return this builder
         */
        public Builder environment(Map<String, String> environment) { this.environment = Map.copyOf(environment); return this; }
        /**
         * Process jobs: the directory tasks run in. An absolute path must exist on the agents; a
         * relative one is created inside the task's own directory. Default: the task's directory.
         *
         * @param directory the value
         * @return this builder
         */
        public Builder workingDirectory(String directory) { this.workingDirectory = directory; return this; }
        /**
         * Process jobs: environment variables for every task whose values are secret (passwords, API
         * keys). The coordinator encrypts them before storing the job, gives them only to the agents
         * that run its tasks, and shows only their names. Same name rules as {@link #environment};
         * a name may not be in both.
         *
         * @param secrets the value
         * @return this builder
         */
        public Builder secretEnvironment(Map<String, String> secrets) { this.secretEnvironment = Map.copyOf(secrets); return this; }

        /**
         * Adds a placement constraint over agent labels; all of a job's constraints must hold on an
         * agent for it to run a task: {@code "gpu in (a100,h100)"}, {@code "site != edge-3"},
         * {@code "ssd exists"}, also {@code =}, {@code not in}, {@code not exists}. Checked by
         * {@link #build()}. A required label {@code k=v} is the constraint {@code k = v}.
         *
         * @param expression the constraint
         * @return this builder
         */
        public Builder constraint(String expression) {
            List<String> all = new ArrayList<>(constraints);
            all.add(expression);
            this.constraints = List.copyOf(all);
            return this;
        }
        /**
         * Replaces the placement constraints (see {@link #constraint(String)}).
         *
         * @param expressions the constraints
         * @return this builder
         */
        public Builder constraints(List<String> expressions) { this.constraints = List.copyOf(expressions); return this; }
        /**
         * Balances the job's running tasks across the values of this agent label (e.g. {@code site}):
         * an agent gets another task only while its value runs no more of them than the least-loaded
         * value that has room. Agents without the label count as one more value. Null: no spread.
         *
         * @param label the agent label
         * @return this builder
         */
        public Builder spreadAcross(String label) { this.spreadLabel = label; return this; }

        /**
         * Allows or forbids straggler backups: when a task runs far longer than the job's median task
         * (see the coordinator's backup policy) while slots are idle, the leader starts a second attempt
         * on another agent; the first result commits and the other attempt is cancelled. On by default
         * for JVM jobs; off by default for process jobs, whose side effects would happen twice.
         *
         * @param allowed whether backups may run
         * @return this builder
         */
        public Builder backups(boolean allowed) { this.backups = allowed; return this; }

        /**
         * The job waits until job {@code jobId} has succeeded (in a {@link Workflow}: the job of
         * that name). Repeatable, up to {@link Dependency#MAX_PER_JOB} dependencies.
         *
         * @param jobId the upstream job's id, or a workflow job's name
         * @return this builder
         */
        public Builder dependsOn(String jobId) { return dependsOn(jobId, Dependency.Condition.SUCCEEDED); }

        /**
         * The job waits until job {@code jobId} has ended as {@code condition} says: SUCCEEDED, or
         * FINISHED (any end). The job's tasks start only once that end is durable at the coordinator.
         *
         * @param jobId the upstream job's id, or a workflow job's name
         * @param condition what its end must be
         * @return this builder
         */
        public Builder dependsOn(String jobId, Dependency.Condition condition) {
            List<Dependency> all = new ArrayList<>(dependencies);
            all.add(new Dependency(jobId, condition));
            this.dependencies = List.copyOf(all);
            return this;
        }

        /**
         * What happens when a dependency that had to succeed failed, was cancelled or skipped: the job
         * FAILs (default) or is SKIPPED.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder onUpstreamFailure(Dependency.UpstreamFailure policy) { this.onUpstreamFailure = policy; return this; }

        /**
         * The spec, once every field is valid.
         *
         * @return the spec
         * @throws IllegalArgumentException naming every field that is wrong
         */
        public JobSpec build() {
            JobSpec spec = new JobSpec(copy());
            List<String> problems = JobSpecChecks.problems(spec);
            if (!problems.isEmpty()) {
                throw new InvalidJobException("invalid job spec: " + String.join("; ", problems));
            }
            return spec;
        }

        /** The spec keeps its own copy, so later builder calls cannot change a built spec. */
        private Builder copy() {
            Builder c = new Builder(kind);
            c.name = name; c.owner = owner; c.idempotencyKey = idempotencyKey; c.jobJar = jobJar;
            c.artifactSha256 = artifactSha256; c.entryClass = entryClass; c.command = command;
            c.shards = shards; c.shardParameters = shardParameters; c.arguments = arguments;
            c.slotsPerTask = slotsPerTask; c.maxAttempts = maxAttempts; c.taskTimeout = taskTimeout;
            c.reduce = reduce; c.priority = priority; c.requiredLabels = Map.copyOf(requiredLabels); c.memoryMb = memoryMb;
            c.lostAfter = lostAfter;
            c.isolation = isolation;
            c.environment = environment; c.workingDirectory = workingDirectory;
            c.secretEnvironment = secretEnvironment;
            c.constraints = constraints; c.spreadLabel = spreadLabel;
            c.backups = backups;
            c.dependencies = dependencies; c.onUpstreamFailure = onUpstreamFailure;
            return c;
        }
    }
}
