package io.drover.coordinator.stream;

import java.util.Arrays;

/**
 * One job's attempts in columns (about 50 bytes an attempt, plus 4 bytes per task index for each task's newest
 * attempt, so the recorder's bound of 200,000 attempts costs about 11 MB), each attempt linked to its task's one
 * before, so a result finds its attempt without an index by attempt id. Not thread-safe:
 * {@link TaskStreamRecorder} guards it.
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
    /** By task index (tasks are 0..shardCount): its newest attempt's index, -1 when none. */
    private int[] newestByTask = new int[0];

    JobAttempts(String jobId) {
        this.jobId = jobId;
    }

    /** Appends an attempt and returns its index; it becomes its task's newest unless {@code newest} is false. */
    int add(long attemptId, int task, int agent, int slot, long startMs, long endMs, AttemptOutcome outcome, boolean newest) {
        if (size == attemptIds.length) {
            grow(size * 2);
        }
        int before = newest(task);
        int i = size++;
        attemptIds[i] = attemptId;
        tasks[i] = task;
        numbers[i] = before < 0 ? 1 : numbers[before] + 1;
        agents[i] = agent;
        slots[i] = slot;
        starts[i] = startMs;
        ends[i] = endMs;
        outcomes[i] = (byte) outcome.ordinal();
        previous[i] = before;
        if (newest || before < 0) {
            if (task >= newestByTask.length) {
                int old = newestByTask.length;
                newestByTask = Arrays.copyOf(newestByTask, Math.max(task + 1, old * 2));
                Arrays.fill(newestByTask, old, newestByTask.length, -1);
            }
            newestByTask[task] = i;
        }
        return i;
    }

    /** The index of the task's attempt with this id, or -1. */
    int find(int task, long attemptId) {
        for (int at = newest(task); at >= 0; at = previous[at]) {
            if (attemptIds[at] == attemptId) {
                return at;
            }
        }
        return -1;
    }

    /** The index of the task's newest attempt, or -1. */
    int newest(int task) {
        return task >= 0 && task < newestByTask.length ? newestByTask[task] : -1;
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
