package io.drover.coordinator.core;

import java.util.Map;

/**
 * A job as rebuilt from durable facts when a coordinator takes leadership: its definition, the
 * committed results and permanent failures of its tasks, its end if it ended, the attempts each
 * task has used (by task index; absent: none recorded) and, for tasks still to run, the newest
 * failed attempt to retry. {@code committedBlobs}: the committed results kept as blobs (by task index).
 */
public record RecoveredJob(JobDefinition definition, Map<Integer, byte[]> committed, Map<Integer, String> failed,
                           Fact.JobEnded end, Map<Integer, Integer> attempts, Map<Integer, Fact.TaskRetried> retries,
                           String resultCodec, Map<Integer, ResultBlob> committedBlobs) {
    public RecoveredJob {
        committed = Map.copyOf(committed);
        committedBlobs = Map.copyOf(committedBlobs);
        failed = Map.copyOf(failed);
        attempts = Map.copyOf(attempts);
        retries = Map.copyOf(retries);
    }

    /** Without a declared result codec (none learnt yet, or facts written before it was durable). */
    public RecoveredJob(JobDefinition definition, Map<Integer, byte[]> committed, Map<Integer, String> failed,
                        Fact.JobEnded end, Map<Integer, Integer> attempts, Map<Integer, Fact.TaskRetried> retries) {
        this(definition, committed, failed, end, attempts, retries, null);
    }

    /** Without results kept as blobs. */
    public RecoveredJob(JobDefinition definition, Map<Integer, byte[]> committed, Map<Integer, String> failed,
                        Fact.JobEnded end, Map<Integer, Integer> attempts, Map<Integer, Fact.TaskRetried> retries,
                        String resultCodec) {
        this(definition, committed, failed, end, attempts, retries, resultCodec, Map.of());
    }

    /** Without attempt counts (as from facts written before they were durable). */
    public RecoveredJob(JobDefinition definition, Map<Integer, byte[]> committed, Map<Integer, String> failed,
                        Fact.JobEnded end) {
        this(definition, committed, failed, end, Map.of(), Map.of());
    }
}

