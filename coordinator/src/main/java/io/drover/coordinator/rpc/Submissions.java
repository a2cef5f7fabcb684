package io.drover.coordinator.rpc;

import io.drover.coordinator.core.Constraint;
import io.drover.coordinator.core.Dependency;
import io.drover.coordinator.core.JobDefinition;
import io.drover.coordinator.secrets.SecretEnvironment;
import io.drover.coordinator.secrets.SecretSealer;
import io.drover.coordinator.secrets.SecretsUnavailableException;
import io.drover.coordinator.store.ArtifactStore;
import io.drover.protocol.FieldLimits;
import io.drover.protocol.thrift.JobKind;
import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.JvmIsolation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a submitted job before it reaches the core, collecting every problem with the field it
 * concerns, so a bad spec gets one clear answer and nothing is half-accepted.
 */
final class Submissions {
    static final int MAX_SHARDS = 1_000_000;
    /** A job definition is one fact in one znode; shard parameters beyond this belong in job storage. */
    static final int MAX_DEFINITION_BYTES = FieldLimits.DEFINITION_BYTES;
    /** Bounds of a job's disconnect override: below a second it would only race heartbeats. */
    static final long MIN_LOST_AFTER_MS = 1_000;
    static final long MAX_LOST_AFTER_MS = 30L * 24 * 3600 * 1000;

    private Submissions() {
    }

    /** Secret environment values are sealed here, before the definition can reach the core or the store. */
    static JobDefinition toDefinition(JobSubmission s, ArtifactStore artifacts, SecretSealer sealer) {
        List<String> problems = new ArrayList<>();
        if (s == null) {
            throw new IllegalArgumentException("invalid job spec: empty submission");
        }
        check(problems, s.getName() != null && !s.getName().isBlank(), "name is required");
        check(problems, s.getOwner() != null && !s.getOwner().isBlank(), "owner is required");
        check(problems, s.getIdempotencyKey() != null && !s.getIdempotencyKey().isBlank(), "idempotencyKey is required");
        check(problems, s.getKind() != null, "kind is required (JVM or PROCESS)");
        long artifactSize = 0;
        if (s.getKind() == JobKind.JVM) {
            String sha = s.getArtifactSha256();
            check(problems, s.getEntryClass() != null && !s.getEntryClass().isBlank(), "entryClass is required for a JVM job");
            if (sha == null || !sha.matches("[0-9a-f]{64}")) {
                problems.add("artifactSha256 must be 64 lowercase hex characters");
            } else {
                ArtifactStore.Status st = artifacts.status(sha).orElse(null);
                if (st == null || !st.complete()) {
                    problems.add("artifact " + sha + " has not been uploaded");
                } else {
                    artifactSize = st.size();
                }
            }
        } else if (s.getKind() == JobKind.PROCESS) {
            check(problems, s.getCommand() != null && !s.getCommand().isEmpty() && !s.getCommand().get(0).isBlank(),
                    "command is required for a process job");
        }
        List<String> params = s.getShardParameters() == null ? List.of() : s.getShardParameters();
        int shards = params.isEmpty() ? s.getShardCount() : params.size();
        check(problems, shards >= 1 && shards <= MAX_SHARDS, "shardCount must be 1.." + MAX_SHARDS + ", was " + shards);
        check(problems, s.getSlotsPerTask() >= 1 && s.getSlotsPerTask() <= 1024, "slotsPerTask must be 1..1024, was " + s.getSlotsPerTask());
        check(problems, s.getMaxAttempts() >= 1 && s.getMaxAttempts() <= 100, "maxAttempts must be 1..100, was " + s.getMaxAttempts());
        check(problems, s.getTaskTimeoutMs() >= 0, "taskTimeoutMs must not be negative");
        check(problems, s.getMemoryMb() >= 0, "memoryMb must not be negative");
        long lostAfter = s.isSetLostAfterMs() ? s.getLostAfterMs() : 0;
        check(problems, lostAfter == 0 || (lostAfter >= MIN_LOST_AFTER_MS && lostAfter <= MAX_LOST_AFTER_MS),
                "lostAfterMs must be " + MIN_LOST_AFTER_MS + ".." + MAX_LOST_AFTER_MS + " (1 s to 30 days), or 0 for the pool's policy, was " + lostAfter);
        boolean inAgent = s.getIsolation() == JvmIsolation.IN_AGENT;
        check(problems, !inAgent || s.getKind() == JobKind.JVM, "isolation IN_AGENT applies to JVM jobs only");
        List<String> args = s.getJobArguments() == null ? List.of() : s.getJobArguments();
        Map<String, String> environment = s.getEnvironment() == null ? Map.of() : s.getEnvironment();
        if (!environment.isEmpty() || s.getWorkingDirectory() != null) {
            check(problems, s.getKind() == JobKind.PROCESS, "environment and workingDirectory apply to process jobs only");
        }
        ProcessSettings.check(environment, s.getWorkingDirectory(), problems);
        Map<String, String> secrets = s.getSecretEnvironment() == null ? Map.of() : s.getSecretEnvironment();
        if (!secrets.isEmpty()) {
            check(problems, s.getKind() == JobKind.PROCESS, "secretEnvironment applies to process jobs only");
            ProcessSettings.checkSecrets(secrets, environment, problems);
        }
        List<Constraint> constraints = PlacementSettings.constraints(s, problems);
        String spreadLabel = PlacementSettings.spreadLabel(s, problems);
        long bytes = storedBytes(s) + PlacementSettings.storedBytes(s);
        check(problems, bytes <= MAX_DEFINITION_BYTES, "the job's definition (name, owner, key, entry class, command, "
                + "shard parameters, arguments, labels, constraints, environment, sealed secrets) takes " + bytes + " bytes, more than the "
                + MAX_DEFINITION_BYTES + " allowed; keep large inputs in the job's own storage");
        check(problems, params.stream().noneMatch(Objects::isNull) && args.stream().noneMatch(Objects::isNull), "shard parameters and arguments must not be null");
        List<Dependency> deps = dependencies(s, problems);
        Dependency.UpstreamFailure onFailure = upstreamFailure(s.getOnUpstreamFailure(), problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid job spec: " + String.join("; ", problems));
        }
        Map<String, String> labels = s.getRequiredLabels() == null ? Map.of() : s.getRequiredLabels();
        Map<String, String> sealed;
        try {
            sealed = secrets.isEmpty() ? Map.of() : SecretEnvironment.seal(secrets, sealer);
        } catch (SecretsUnavailableException e) {
            throw new IllegalArgumentException("invalid job spec: secretEnvironment: " + e.getMessage(), e);
        }
        return new JobDefinition("pending", s.getName(), s.getOwner(), s.getIdempotencyKey(), s.getKind().name(),
                s.getArtifactSha256(), artifactSize, s.getEntryClass(),
                s.getCommand() == null ? List.of() : s.getCommand(), shards, params, args, s.getSlotsPerTask(),
                s.getMaxAttempts(), s.getTaskTimeoutMs(), s.isReduce(), s.getPriority(), labels, s.getMemoryMb(), 0, lostAfter,
                inAgent ? JobDefinition.IN_AGENT : JobDefinition.WORKER, environment, s.getWorkingDirectory(), sealed,
                constraints, spreadLabel, deps, onFailure,
                s.isSetBackups() ? s.isBackups() : JobDefinition.defaultBackups(s.getKind().name()));
    }

    /** The job's dependencies; a missing condition means SUCCEEDED. Names are checked by the core. */
    private static List<Dependency> dependencies(JobSubmission s, List<String> problems) {
        if (s.getDependencies() == null || s.getDependencies().isEmpty()) {
            return List.of();
        }
        if (s.getDependencies().size() > Dependency.MAX_PER_JOB) {
            problems.add("a job may depend on at most " + Dependency.MAX_PER_JOB + " jobs, this one names "
                    + s.getDependencies().size());
            return List.of();
        }
        List<Dependency> out = new ArrayList<>();
        for (io.drover.protocol.thrift.DependencySpec d : s.getDependencies()) {
            String c = d.getCondition() == null ? "SUCCEEDED" : d.getCondition().toUpperCase(java.util.Locale.ROOT);
            if (d.getJobId() == null || d.getJobId().isBlank()) {
                problems.add("every dependency needs a jobId");
            } else if (!c.equals("SUCCEEDED") && !c.equals("FINISHED")) {
                problems.add("dependency on " + d.getJobId() + ": condition must be SUCCEEDED or FINISHED, was " + d.getCondition());
            } else {
                out.add(new Dependency(d.getJobId(), Dependency.Condition.valueOf(c)));
            }
        }
        return out;
    }

    private static Dependency.UpstreamFailure upstreamFailure(String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            return Dependency.UpstreamFailure.FAIL;
        }
        String v = value.toUpperCase(java.util.Locale.ROOT);
        if (!v.equals("FAIL") && !v.equals("SKIP")) {
            problems.add("onUpstreamFailure must be FAIL or SKIP, was " + value);
            return Dependency.UpstreamFailure.FAIL;
        }
        return Dependency.UpstreamFailure.valueOf(v);
    }

    /**
     * UTF-8 bytes of every string the stored definition holds, plus a length prefix each: what the
     * fact costs in ZooKeeper beyond its fixed fields.
     */
    static long storedBytes(JobSubmission s) {
        long bytes = utf8(s.getName()) + utf8(s.getOwner()) + utf8(s.getIdempotencyKey()) + utf8(s.getArtifactSha256())
                + utf8(s.getEntryClass()) + utf8(s.getWorkingDirectory());
        for (List<String> list : Arrays.asList(s.getCommand(), s.getShardParameters(), s.getJobArguments())) {
            if (list != null) {
                for (String v : list) {
                    bytes += utf8(v);
                }
            }
        }
        for (Map<String, String> map : Arrays.asList(s.getRequiredLabels(), s.getEnvironment())) {
            if (map != null) {
                for (Map.Entry<String, String> e : map.entrySet()) {
                    bytes += utf8(e.getKey()) + utf8(e.getValue());
                }
            }
        }
        if (s.getSecretEnvironment() != null) {
            for (Map.Entry<String, String> e : s.getSecretEnvironment().entrySet()) {
                bytes += utf8(e.getKey()) + sealedChars(e.getValue());
            }
        }
        if (s.getDependencies() != null) {
            for (io.drover.protocol.thrift.DependencySpec d : s.getDependencies()) {
                bytes += utf8(d.getJobId()) + 12;
            }
        }
        return bytes;
    }

    /** Stored size of a sealed value: prefix, base64 of a 12-byte nonce, the UTF-8 ciphertext and a 16-byte tag. */
    private static long sealedChars(String plaintext) {
        long raw = utf8(plaintext) - 4 + 28;
        return 4 + SecretSealer.PREFIX.length() + (raw + 2) / 3 * 4;
    }

    /** Encoded length of {@code s} in UTF-8 plus its 4-byte length prefix, without encoding it. */
    static long utf8(String s) {
        if (s == null) {
            return 4;
        }
        long n = 4;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }

    private static void check(List<String> problems, boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }
}
