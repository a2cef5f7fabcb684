package io.drover.sdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jobs submitted together with {@link DroverClient#submitWorkflow}: every job is accepted, or
 * none is. Each job has a name inside the workflow; a job's {@link JobSpec.Builder#dependsOn}
 * names other jobs of the workflow by that name (or jobs accepted earlier by their ids). The
 * coordinator refuses a workflow with an unknown name or a cycle, naming it.
 *
 * <pre>{@code
 * Workflow w = Workflow.builder()
 *         .job("extract", JobSpec.process(List.of("extract.sh")).build())
 *         .job("transform", JobSpec.process(List.of("transform.sh")).dependsOn("extract").build())
 *         .job("report", JobSpec.process(List.of("report.sh"))
 *                 .dependsOn("transform", Dependency.Condition.FINISHED).build())
 *         .build();
 * Map<String, JobHandle> jobs = client.submitWorkflow(w);
 * }</pre>
 *
 * A retry of the same {@code Workflow} (same idempotency keys) gets the same jobs back.
 */
public final class Workflow {
    /** The most jobs one workflow may hold. */
    public static final int MAX_JOBS = 256;

    private final Map<String, JobSpec> jobs;

    private Workflow(Map<String, JobSpec> jobs) {
        this.jobs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(jobs));
    }

    /** @return a builder for a workflow */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the jobs by their names in the workflow, in the order they were added */
    public Map<String, JobSpec> jobs() {
        return jobs;
    }

    /** Collects a workflow's jobs; {@link #build()} checks names and sizes (the coordinator checks the graph). */
    public static final class Builder {
        private final Map<String, JobSpec> jobs = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a job under {@code name}, by which other jobs of the workflow depend on it.
         *
         * @param name the job's name in the workflow (1..200 characters, unique in it)
         * @param spec the job
         * @return this builder
         */
        public Builder job(String name, JobSpec spec) {
            if (name == null || name.isBlank() || name.length() > 200) {
                problems.add("job name must be 1..200 characters, was '" + name + "'");
            } else if (spec == null) {
                problems.add("job '" + name + "' has no spec");
            } else if (jobs.putIfAbsent(name, spec) != null) {
                problems.add("job name '" + name + "' is used twice");
            }
            return this;
        }

        /**
         * The workflow, once its names are valid.
         *
         * @return the workflow
         * @throws InvalidJobException naming every problem
         */
        public Workflow build() {
            List<String> all = new ArrayList<>(problems);
            if (jobs.isEmpty()) {
                all.add("a workflow needs at least one job");
            }
            if (jobs.size() > MAX_JOBS) {
                all.add("a workflow holds at most " + MAX_JOBS + " jobs, this one " + jobs.size());
            }
            if (!all.isEmpty()) {
                throw new InvalidJobException("invalid workflow: " + String.join("; ", all));
            }
            return new Workflow(jobs);
        }
    }
}
