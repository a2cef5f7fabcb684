package io.drover.web.api.dto;

/**
 * One dependency of a job: the upstream job's id, what it must do ({@code SUCCEEDED} or {@code FINISHED}),
 * and its name and state now (null when the coordinator no longer knows it).
 */
public record DependencyJson(String jobId, String condition, String name, String state) {
}
