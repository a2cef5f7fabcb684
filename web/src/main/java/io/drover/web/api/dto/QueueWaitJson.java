package io.drover.web.api.dto;

/**
 * Why a job's ready tasks wait although agents could run them: {@code reason} QUOTA (its owner is at its cap),
 * SHARE (other owners are further below their fair share), NO_SLOT; the owner's numbers ({@code maxRunning} null:
 * no cap) and {@code summary}, the same worded for people.
 */
public record QueueWaitJson(String reason, String owner, int running, Integer maxRunning, int weight, int ownersAhead,
                            String summary) {
}
