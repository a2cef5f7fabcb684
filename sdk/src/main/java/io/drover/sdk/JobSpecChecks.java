package io.drover.sdk;

import io.drover.protocol.ConstraintText;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Every rule a {@link JobSpec} must keep, checked at once so one error names every wrong field. */
final class JobSpecChecks {
    private JobSpecChecks() {
    }

    /** What is wrong with {@code s}, one sentence per field; empty when it is valid. */
    static List<String> problems(JobSpec s) {
        List<String> problems = new ArrayList<>();
        identity(s, problems);
        code(s, problems);
        int count = s.shardCount();
        require(problems, count >= 1 && count <= JobSpec.MAX_SHARDS, "shards must be 1.." + JobSpec.MAX_SHARDS + ", was " + count);
        List<String> parameters = s.shardParameters();
        for (int i = 0; i < parameters.size(); i++) {
            String p = Objects.requireNonNull(parameters.get(i), "shardParameters[" + i + "]");
            if (p.length() > JobSpec.MAX_PARAMETER_BYTES) {
                problems.add("shardParameters[" + i + "] is longer than " + JobSpec.MAX_PARAMETER_BYTES);
                break;
            }
        }
        limits(s, problems);
        environment(s, problems);
        placement(s, problems);
        require(problems, s.dependencies().size() <= Dependency.MAX_PER_JOB,
                "dependencies: at most " + Dependency.MAX_PER_JOB + ", was " + s.dependencies().size());
        require(problems, s.dependencies().stream().map(Dependency::jobId).distinct().count() == s.dependencies().size(),
                "dependencies name a job twice");
        require(problems, s.onUpstreamFailure() != null, "onUpstreamFailure must not be null");
        return problems;
    }

    private static void identity(JobSpec s, List<String> problems) {
        String name = s.name();
        require(problems, name != null && !name.isBlank() && name.length() <= 200, "name must be 1..200 characters");
        require(problems, s.owner() != null, "owner must not be null (empty: the caller's identity)");
        String key = s.idempotencyKey();
        require(problems, key != null && !key.isBlank() && key.length() <= 200, "idempotencyKey must be 1..200 characters");
    }

    private static void code(JobSpec s, List<String> problems) {
        if (s.kind() == JobSpec.Kind.JVM) {
            String entryClass = s.entryClass().orElse(null);
            require(problems, entryClass != null && !entryClass.isBlank(), "entryClass is required for a JVM job");
            if (s.jobJar().isPresent()) {
                require(problems, Files.isRegularFile(s.jobJar().get()), "jobJar " + s.jobJar().get() + " is not a readable file");
            } else {
                String sha = s.artifactSha256().orElse(null);
                require(problems, sha != null && sha.matches("[0-9a-f]{64}"), "artifactSha256 must be 64 lowercase hex characters");
            }
        } else {
            List<String> command = s.command();
            require(problems, !command.isEmpty() && !command.get(0).isBlank(), "command must not be empty for a process job");
        }
    }

    private static void limits(JobSpec s, List<String> problems) {
        require(problems, s.slotsPerTask() >= 1 && s.slotsPerTask() <= 1024, "slotsPerTask must be 1..1024, was " + s.slotsPerTask());
        require(problems, s.maxAttempts() >= 1 && s.maxAttempts() <= 100, "maxAttempts must be 1..100, was " + s.maxAttempts());
        require(problems, s.taskTimeout() != null && !s.taskTimeout().isNegative(), "taskTimeout must not be negative");
        require(problems, s.memoryMb() >= 0, "memoryMb must not be negative");
        require(problems, s.isolation() != null, "isolation must not be null");
        require(problems, s.isolation() != Isolation.IN_AGENT || s.kind() == JobSpec.Kind.JVM,
                "isolation IN_AGENT applies to JVM jobs only");
        Duration lostAfter = s.lostAfter().orElse(null);
        require(problems, lostAfter == null
                        || (lostAfter.compareTo(JobSpec.MIN_LOST_AFTER) >= 0 && lostAfter.compareTo(JobSpec.MAX_LOST_AFTER) <= 0),
                "lostAfter must be 1s..30d, was " + lostAfter);
    }

    private static void environment(JobSpec s, List<String> problems) {
        if (s.kind() != JobSpec.Kind.PROCESS) {
            require(problems, s.environment().isEmpty() && s.workingDirectory().isEmpty() && s.secretEnvironment().isEmpty(),
                    "environment, secretEnvironment and workingDirectory apply to process jobs only");
        }
        for (String variable : s.secretEnvironment().keySet()) {
            require(problems, !s.environment().containsKey(variable),
                    "variable " + variable + " is in both environment and secretEnvironment; give it once");
        }
        for (String variable : concat(s.environment().keySet(), s.secretEnvironment().keySet())) {
            if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                problems.add("environment variable name '" + variable + "' must be letters, digits and '_', not starting with a digit");
            } else if (variable.startsWith("DROVER_")) {
                problems.add("environment variable " + variable + " is reserved: the agent sets DROVER_* variables itself");
            }
        }
        require(problems, s.workingDirectory().map(d -> !d.isBlank()).orElse(true), "workingDirectory must not be blank");
    }

    private static void placement(JobSpec s, List<String> problems) {
        require(problems, s.constraints().size() <= JobSpec.MAX_CONSTRAINTS,
                "at most " + JobSpec.MAX_CONSTRAINTS + " constraints, got " + s.constraints().size());
        for (String expression : s.constraints()) {
            try {
                ConstraintText.parse(expression);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        String spreadLabel = s.spreadLabel().orElse(null);
        require(problems, spreadLabel == null || spreadLabel.matches(ConstraintText.TOKEN),
                "spread label must be 1..128 of [A-Za-z0-9._/:@+-], was '" + spreadLabel + "'");
    }

    private static List<String> concat(Set<String> a, Set<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void require(List<String> problems, boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }
}
