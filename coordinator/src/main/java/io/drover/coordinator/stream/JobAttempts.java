package io.drover.coordinator.stream;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One job's attempts in columns (about 50 bytes an attempt, so the recorder's bound of 200,000 attempts
 * costs about 10 MB), with each task's newest attempt and a link to the one before, so a result finds its
 * attempt without an index by attempt id. Not thread-safe: {@link TaskStreamRecorder} guards it.
 */
final class JobAttempts {
    private static final int INITIAL = 16;

    final String jobId;
    int size;
    boolean truncated;
    long[] attemptIds = new long[INITIAL];
    int[] tasks = new int[INITIAL];
    int[] numbers = new int[INITIAL];
    int[] agents = new int[INITIAL];
    int[] slots = new int[INITIAL];
    long[] starts = new long[INITIAL];
    long[] ends = new long[INITIAL];
    byte[] outcomes = new byte[INITIAL];
    int[] previous = new int[INITIAL];
    final Map<Integer, Integer> newestByTask = new HashMap<>();

    JobAttempts(String jobId) {
        this.jobId = jobId;
    }

    /** Appends an attempt and returns its index; it becomes its task's newest unless {@code newest} is false. */
    int add(long attemptId, int task, int agent, int slot, long startMs, long endMs, AttemptOutcome outcome, boolean newest) {
        if (size == attemptIds.length) {
            grow(size * 2);
        }
        Integer before = newestByTask.get(task);
        int i = size++;
        attemptIds[i] = attemptId;
        tasks[i] = task;
        numbers[i] = before == null ? 1 : numbers[before] + 1;
        agents[i] = agent;
        slots[i] = slot;
        starts[i] = startMs;
        ends[i] = endMs;
        outcomes[i] = (byte) outcome.ordinal();
        previous[i] = before == null ? -1 : before;
        if (newest || before == null) {
            newestByTask.put(task, i);
        }
        return i;
    }

    /** The index of the task's attempt with this id, or -1. */
    int find(int task, long attemptId) {
        Integer i = newestByTask.get(task);
        for (int at = i == null ? -1 : i; at >= 0; at = previous[at]) {
            if (attemptIds[at] == attemptId) {
                return at;
            }
        }
        return -1;
    }

    /** The index of the task's newest attempt, or -1. */
    int newest(int task) {
        Integer i = newestByTask.get(task);
        return i == null ? -1 : i;
    }

    AttemptOutcome outcome(int i) {
        return AttemptOutcome.values()[outcomes[i]];
    }

    void end(int i, long endMs, AttemptOutcome outcome) {
        ends[i] = Math.max(endMs, starts[i]);
        outcomes[i] = (byte) outcome.ordinal();
    }

    void outcome(int i, AttemptOutcome outcome) {
        outcomes[i] = (byte) outcome.ordinal();
    }

    /** A copy of the columns the aggregation reads, so it runs outside the recorder's lock. */
    Columns copy() {
        return new Columns(size, truncated, Arrays.copyOf(tasks, size), Arrays.copyOf(numbers, size),
                Arrays.copyOf(agents, size), Arrays.copyOf(slots, size), Arrays.copyOf(starts, size),
                Arrays.copyOf(ends, size), Arrays.copyOf(outcomes, size));
    }

    record Columns(int size, boolean truncated, int[] tasks, int[] numbers, int[] agents, int[] slots, long[] starts,
                   long[] ends, byte[] outcomes) {
    }

    private void grow(int capacity) {
        attemptIds = Arrays.copyOf(attemptIds, capacity);
        tasks = Arrays.copyOf(tasks, capacity);
        numbers = Arrays.copyOf(numbers, capacity);
        agents = Arrays.copyOf(agents, capacity);
        slots = Arrays.copyOf(slots, capacity);
        starts = Arrays.copyOf(starts, capacity);
        ends = Arrays.copyOf(ends, capacity);
        outcomes = Arrays.copyOf(outcomes, capacity);
        previous = Arrays.copyOf(previous, capacity);
    }
}
