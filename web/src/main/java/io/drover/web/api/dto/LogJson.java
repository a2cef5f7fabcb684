package io.drover.web.api.dto;

/**
 * Part of a task's output, of its newest attempt ({@code attempt} 0: none started yet). {@code data} is the bytes
 * from {@code offset} as UTF-8 (malformed sequences replaced); read on from {@code nextOffset}. {@code truncated}:
 * the agent's --log-cap cut the output; {@code complete}: the attempt ended and nothing more will come.
 */
public record LogJson(String job, int task, String stream, long attempt, long offset, long nextOffset, String data,
                      boolean truncated, boolean complete) {
}
