package io.drover.coordinator.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An accepted job's immutable definition, as persisted before the submit is acknowledged.
 * {@code kind} is "JVM" or "PROCESS"; JVM jobs name an artifact and entry class, process jobs a command.
 * {@code lostAfterMs} overrides the agent pool's disconnect policy for this job's attempts: how long
 * they are left alone on a silent agent before they run elsewhere (0: the pool's policy applies).
 * {@code isolation} says where a JVM job's tasks run on an agent: {@value #WORKER} (a child worker
 * JVM, the default) or {@value #IN_AGENT} (inside the agent's JVM); process jobs ignore it.
 * {@code environment} and {@code workingDirectory} (null: the task's own directory) apply to
 * process jobs, as does {@code secretEnvironment}: variables whose values arrive sealed (encrypted
 * at the coordinator's edge); the core only carries them. {@code constraints} must all hold on an
 * agent's labels (besides {@code requiredLabels}); {@code spreadLabel} (null: none) asks the leader
 * to balance the job's running tasks across that label's values.
 * at the coordinator's edge); the core only carries them. {@code dependencies}: jobs that must end
 * first (the job WAITs until then); {@code onUpstreamFailure}: whether the job FAILs or is SKIPPED
 * when a dependency it needed to succeed did not. {@code backups}: whether the leader may start a
 * backup attempt of a straggling task on another agent (see {@link Backups}); by default on for JVM
 * jobs and off for process jobs, whose side effects are theirs to make safe ({@link #defaultBackups}).
 */
public record JobDefinition(String jobId, String name, String owner, String idempotencyKey, String kind,
                            String artifactSha256, long artifactSize, String entryClass, List<String> command,
                            int shardCount, List<String> shardParameters, List<String> arguments,
                            int slotsPerTask, int maxAttempts, long taskTimeoutMs, boolean reduce, int priority,
                            Map<String, String> requiredLabels, long memoryMb, long submittedAtMs,
                            long lostAfterMs, String isolation, Map<String, String> environment,
                            String workingDirectory, Map<String, String> secretEnvironment,
                            List<Constraint> constraints, String spreadLabel,
                            List<Dependency> dependencies, Dependency.UpstreamFailure onUpstreamFailure,
                            boolean backups) {
    public static final String WORKER = "WORKER";
    public static final String IN_AGENT = "IN_AGENT";

    public JobDefinition {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        command = List.copyOf(command);
        shardParameters = List.copyOf(shardParameters);
        arguments = List.copyOf(arguments);
        requiredLabels = Map.copyOf(requiredLabels);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        secretEnvironment = secretEnvironment == null ? Map.of() : Map.copyOf(secretEnvironment);
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
        if (spreadLabel != null && !Constraint.TOKEN.matcher(spreadLabel).matches()) {
            throw new IllegalArgumentException("spreadLabel must be 1..128 of [A-Za-z0-9._/:@+-], was " + spreadLabel);
        }
        dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
        onUpstreamFailure = onUpstreamFailure == null ? Dependency.UpstreamFailure.FAIL : onUpstreamFailure;
        if (dependencies.size() > Dependency.MAX_PER_JOB) {
            throw new IllegalArgumentException("a job may depend on at most " + Dependency.MAX_PER_JOB
                    + " jobs, this one names " + dependencies.size());
        }
        if (shardCount < 1) {
            throw new IllegalArgumentException("shardCount must be >= 1, was " + shardCount);
        }
        if (!shardParameters.isEmpty() && shardParameters.size() != shardCount) {
            throw new IllegalArgumentException("shardParameters has " + shardParameters.size()
                    + " entries for " + shardCount + " shards");
        }
        if (lostAfterMs < 0) {
            throw new IllegalArgumentException("lostAfterMs must be >= 0 (0: the pool's policy), was " + lostAfterMs);
        }
        if (!WORKER.equals(isolation) && !IN_AGENT.equals(isolation)) {
            throw new IllegalArgumentException("isolation must be " + WORKER + " or " + IN_AGENT + ", was " + isolation);
        }
    }

    /** Backups as the job's kind has them by default ({@link #defaultBackups}). */
    public JobDefinition(String jobId, String name, String owner, String idempotencyKey, String kind,
                         String artifactSha256, long artifactSize, String entryClass, List<String> command,
                         int shardCount, List<String> shardParameters, List<String> arguments,
                         int slotsPerTask, int maxAttempts, long taskTimeoutMs, boolean reduce, int priority,
                         Map<String, String> requiredLabels, long memoryMb, long submittedAtMs,
                         long lostAfterMs, String isolation, Map<String, String> environment,
                         String workingDirectory, Map<String, String> secretEnvironment,
                         List<Constraint> constraints, String spreadLabel,
                         List<Dependency> dependencies, Dependency.UpstreamFailure onUpstreamFailure) {
        this(jobId, name, owner, idempotencyKey, kind, artifactSha256, artifactSize, entryClass, command, shardCount,
                shardParameters, arguments, slotsPerTask, maxAttempts, taskTimeoutMs, reduce, priority, requiredLabels,
                memoryMb, submittedAtMs, lostAfterMs, isolation, environment, workingDirectory, secretEnvironment,
                constraints, spreadLabel, dependencies, onUpstreamFailure, defaultBackups(kind));
    }

    /**
     * Backups by default: on for JVM jobs (a task is a function of its shard; the losing attempt's
     * result is dropped), off for process jobs, whose commands may have side effects run twice.
     */
    public static boolean defaultBackups(String kind) {
        return "JVM".equals(kind);
    }

    /** Without placement or dependencies (the arity before them): the job runs at once, anywhere it fits. */
    public JobDefinition(String jobId, String name, String owner, String idempotencyKey, String kind,
                         String artifactSha256, long artifactSize, String entryClass, List<String> command,
                         int shardCount, List<String> shardParameters, List<String> arguments,
                         int slotsPerTask, int maxAttempts, long taskTimeoutMs, boolean reduce, int priority,
                         Map<String, String> requiredLabels, long memoryMb, long submittedAtMs, long lostAfterMs,
                         String isolation, Map<String, String> environment, String workingDirectory,
                         Map<String, String> secretEnvironment) {
        this(jobId, name, owner, idempotencyKey, kind, artifactSha256, artifactSize, entryClass, command, shardCount,
                shardParameters, arguments, slotsPerTask, maxAttempts, taskTimeoutMs, reduce, priority, requiredLabels,
                memoryMb, submittedAtMs, lostAfterMs, isolation, environment, workingDirectory, secretEnvironment,
                List.of(), null, List.of(), Dependency.UpstreamFailure.FAIL);
    }

    /** With placement, without dependencies. */
    public JobDefinition(String jobId, String name, String owner, String idempotencyKey, String kind,
                         String artifactSha256, long artifactSize, String entryClass, List<String> command,
                         int shardCount, List<String> shardParameters, List<String> arguments,
                         int slotsPerTask, int maxAttempts, long taskTimeoutMs, boolean reduce, int priority,
                         Map<String, String> requiredLabels, long memoryMb, long submittedAtMs, long lostAfterMs,
                         String isolation, Map<String, String> environment, String workingDirectory,
                         Map<String, String> secretEnvironment, List<Constraint> constraints, String spreadLabel) {
        this(jobId, name, owner, idempotencyKey, kind, artifactSha256, artifactSize, entryClass, command, shardCount,
                shardParameters, arguments, slotsPerTask, maxAttempts, taskTimeoutMs, reduce, priority, requiredLabels,
                memoryMb, submittedAtMs, lostAfterMs, isolation, environment, workingDirectory, secretEnvironment,
                constraints, spreadLabel, List.of(), Dependency.UpstreamFailure.FAIL);
    }

    /** With dependencies, without placement. */
    public JobDefinition(String jobId, String name, String owner, String idempotencyKey, String kind,
                         String artifactSha256, long artifactSize, String entryClass, List<String> command,
                         int shardCount, List<String> shardParameters, List<String> arguments,
                         int slotsPerTask, int maxAttempts, long taskTimeoutMs, boolean reduce, int priority,
                         Map<String, String> requiredLabels, long memoryMb, long submittedAtMs, long lostAfterMs,
                         String isolation, Map<String, String> environment, String workingDirectory,
                         Map<String, String> secretEnvironment, List<Dependency> dependencies,
                         Dependency.UpstreamFailure onUpstreamFailure) {
        this(jobId, name, owner, idempotencyKey, kind, artifactSha256, artifactSize, entryClass, command, shardCount,
                shardParameters, arguments, slotsPerTask, maxAttempts, taskTimeoutMs, reduce, priority, requiredLabels,
                memoryMb, submittedAtMs, lostAfterMs, isolation, environment, workingDirectory, secretEnvironment,
                List.of(), null, dependencies, onUpstreamFailure);
    }

    /** Without secret environment. */
    public JobDefinition(String jobId, String name, String owner, String idempotencyKey, String kind,
                         String artifactSha256, long artifactSize, String entryClass, List<String> command,
                         int shardCount, List<String> shardParameters, List<String> arguments,
                         int slotsPerTask, int maxAttempts, long taskTimeoutMs, boolean reduce, int priority,
                         Map<String, String> requiredLabels, long memoryMb, long submittedAtMs, long lostAfterMs,
                         String isolation, Map<String, String> environment, String workingDirectory) {
        this(jobId, name, owner, idempotencyKey, kind, artifactSha256, artifactSize, entryClass, command, shardCount,
                shardParameters, arguments, slotsPerTask, maxAttempts, taskTimeoutMs, reduce, priority, requiredLabels,
                memoryMb, submittedAtMs, lostAfterMs, isolation, environment, workingDirectory, Map.of());
    }

    /** Without process environment or working directory. */
    public JobDefinition(String jobId, String name, String owner, String idempotencyKey, String kind,
                         String artifactSha256, long artifactSize, String entryClass, List<String> command,
                         int shardCount, List<String> shardParameters, List<String> arguments,
                         int slotsPerTask, int maxAttempts, long taskTimeoutMs, boolean reduce, int priority,
                         Map<String, String> requiredLabels, long memoryMb, long submittedAtMs, long lostAfterMs,
                         String isolation) {
        this(jobId, name, owner, idempotencyKey, kind, artifactSha256, artifactSize, entryClass, command, shardCount,
                shardParameters, arguments, slotsPerTask, maxAttempts, taskTimeoutMs, reduce, priority, requiredLabels,
                memoryMb, submittedAtMs, lostAfterMs, isolation, Map.of(), null);
    }

    /** Tasks in worker JVMs (the default isolation). */
    public JobDefinition(String jobId, String name, String owner, String idempotencyKey, String kind,
                         String artifactSha256, long artifactSize, String entryClass, List<String> command,
                         int shardCount, List<String> shardParameters, List<String> arguments,
                         int slotsPerTask, int maxAttempts, long taskTimeoutMs, boolean reduce, int priority,
                         Map<String, String> requiredLabels, long memoryMb, long submittedAtMs, long lostAfterMs) {
        this(jobId, name, owner, idempotencyKey, kind, artifactSha256, artifactSize, entryClass, command, shardCount,
                shardParameters, arguments, slotsPerTask, maxAttempts, taskTimeoutMs, reduce, priority, requiredLabels,
                memoryMb, submittedAtMs, lostAfterMs, WORKER);
    }

    /** Without a disconnect override: the agent pool's policy applies. */
    public JobDefinition(String jobId, String name, String owner, String idempotencyKey, String kind,
                         String artifactSha256, long artifactSize, String entryClass, List<String> command,
                         int shardCount, List<String> shardParameters, List<String> arguments,
                         int slotsPerTask, int maxAttempts, long taskTimeoutMs, boolean reduce, int priority,
                         Map<String, String> requiredLabels, long memoryMb, long submittedAtMs) {
        this(jobId, name, owner, idempotencyKey, kind, artifactSha256, artifactSize, entryClass, command, shardCount,
                shardParameters, arguments, slotsPerTask, maxAttempts, taskTimeoutMs, reduce, priority, requiredLabels,
                memoryMb, submittedAtMs, 0);
    }

    /** Same job with these placement settings. */
    public JobDefinition withPlacement(List<Constraint> newConstraints, String newSpreadLabel) {
        return new JobDefinition(jobId, name, owner, idempotencyKey, kind, artifactSha256, artifactSize, entryClass,
                command, shardCount, shardParameters, arguments, slotsPerTask, maxAttempts, taskTimeoutMs, reduce,
                priority, requiredLabels, memoryMb, submittedAtMs, lostAfterMs, isolation, environment, workingDirectory,
                secretEnvironment, newConstraints, newSpreadLabel, dependencies, onUpstreamFailure, backups);
    }

    /** Every constraint an agent must meet: the required labels (each {@code k = v}), then the expressions. */
    public List<Constraint> allConstraints() {
        if (requiredLabels.isEmpty()) {
            return constraints;
        }
        List<Constraint> all = new java.util.ArrayList<>(requiredLabels.size() + constraints.size());
        new java.util.TreeMap<>(requiredLabels).forEach((k, v) -> all.add(Constraint.eq(k, v)));
        all.addAll(constraints);
        return all;
    }

    /** Tasks in the job: one per shard plus the reduce task. */
    public int taskCount() {
        return reduce ? shardCount + 1 : shardCount;
    }

    public JobDefinition withJobId(String id, long submittedAt) {
        return new JobDefinition(id, name, owner, idempotencyKey, kind, artifactSha256, artifactSize, entryClass,
                command, shardCount, shardParameters, arguments, slotsPerTask, maxAttempts, taskTimeoutMs, reduce,
                priority, requiredLabels, memoryMb, submittedAt, lostAfterMs, isolation, environment, workingDirectory,
                secretEnvironment, constraints, spreadLabel, dependencies, onUpstreamFailure, backups);
    }

    public JobDefinition withLostAfterMs(long ms) {
        return new JobDefinition(jobId, name, owner, idempotencyKey, kind, artifactSha256, artifactSize, entryClass,
                command, shardCount, shardParameters, arguments, slotsPerTask, maxAttempts, taskTimeoutMs, reduce,
                priority, requiredLabels, memoryMb, submittedAtMs, ms, isolation, environment, workingDirectory,
                secretEnvironment, constraints, spreadLabel, dependencies, onUpstreamFailure, backups);
    }

    public JobDefinition withIsolation(String value) {
        return new JobDefinition(jobId, name, owner, idempotencyKey, kind, artifactSha256, artifactSize, entryClass,
                command, shardCount, shardParameters, arguments, slotsPerTask, maxAttempts, taskTimeoutMs, reduce,
                priority, requiredLabels, memoryMb, submittedAtMs, lostAfterMs, value, environment, workingDirectory, secretEnvironment,
                constraints, spreadLabel, dependencies, onUpstreamFailure, backups);
    }

    /** The same job waiting on {@code deps} (a workflow's names rewritten to job ids), failing or skipping as told. */
    public JobDefinition withDependencies(List<Dependency> deps, Dependency.UpstreamFailure onFailure) {
        return new JobDefinition(jobId, name, owner, idempotencyKey, kind, artifactSha256, artifactSize, entryClass,
                command, shardCount, shardParameters, arguments, slotsPerTask, maxAttempts, taskTimeoutMs, reduce,
                priority, requiredLabels, memoryMb, submittedAtMs, lostAfterMs, isolation, environment, workingDirectory,
                secretEnvironment, constraints, spreadLabel, deps, onFailure, backups);
    }

    /** The same job with backups of straggling tasks allowed or not. */
    public JobDefinition withBackups(boolean allowed) {
        return new JobDefinition(jobId, name, owner, idempotencyKey, kind, artifactSha256, artifactSize, entryClass,
                command, shardCount, shardParameters, arguments, slotsPerTask, maxAttempts, taskTimeoutMs, reduce,
                priority, requiredLabels, memoryMb, submittedAtMs, lostAfterMs, isolation, environment, workingDirectory,
                secretEnvironment, constraints, spreadLabel, dependencies, onUpstreamFailure, allowed);
    }

    /** Same spec apart from the job id and submit time the coordinator assigns: resubmitting it is a retry. */
    public boolean sameSpecAs(JobDefinition o) {
        return asSubmitted().equals(o.asSubmitted());
    }

    /** A hash of what {@link #sameSpecAs} compares. */
    public int specHash() {
        return asSubmitted().hashCode();
    }

    /**
     * Secrets compare by name only: each seal has a fresh nonce, so a retry of the same submit carries
     * other ciphertext (a retry that changes only a secret's value is taken as the same job).
     */
    private JobDefinition asSubmitted() {
        Map<String, String> secretNames = new java.util.TreeMap<>();
        secretEnvironment.keySet().forEach(n -> secretNames.put(n, ""));
        return new JobDefinition("pending", name, owner, idempotencyKey, kind, artifactSha256, artifactSize, entryClass,
                command, shardCount, shardParameters, arguments, slotsPerTask, maxAttempts, taskTimeoutMs, reduce,
                priority, requiredLabels, memoryMb, 0, lostAfterMs, isolation, environment, workingDirectory, secretNames,
                constraints, spreadLabel, dependencies, onUpstreamFailure, backups);
    }

    /** A run of this template: same job, another name and idempotency key, not yet accepted. */
    public JobDefinition asRun(String runName, String runKey) {
        return new JobDefinition("pending", runName, owner, runKey, kind, artifactSha256, artifactSize, entryClass,
                command, shardCount, shardParameters, arguments, slotsPerTask, maxAttempts, taskTimeoutMs, reduce,
                priority, requiredLabels, memoryMb, 0, lostAfterMs, isolation, environment, workingDirectory,
                secretEnvironment, constraints, spreadLabel, dependencies, onUpstreamFailure, backups);
    }
}
