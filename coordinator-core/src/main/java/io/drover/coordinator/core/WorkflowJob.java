package io.drover.coordinator.core;

import java.util.Objects;

/**
 * One job of a workflow submission: {@code ref} is its name inside the workflow, which other jobs
 * of the same workflow name in their {@link Dependency dependencies} (a name that is not a ref of
 * the workflow is taken as the id of a job accepted earlier).
 */
public record WorkflowJob(String ref, JobDefinition definition) {
    public WorkflowJob {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(definition, "definition");
    }
}
