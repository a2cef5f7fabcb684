package io.drover.coordinator.core;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A finished job's tasks, kept column by column (issues 14 and 15): a leader holds up to
 * {@code retainFinishedTasks} of them for status, results and logs, and a {@link Task} object each
 * (about 120 bytes with its slot) made two million of them cost about 300 MB of heap. Here a task of
 * a no-op job costs about 12 bytes: its state and attempt count in a byte each, its newest attempt id
 * and the index of that attempt's agent in a small table. What is rare is kept sparsely: results other
 * than empty, result blobs, errors, backups, and the few ids that differ from the newest attempt's.
 *
 * <p>Read-only, except {@link #noteReported}: a late report for a finished task still records which
 * attempt's outcome arrived (see {@link Task#reportedAttemptId}). What a running task needs and a
 * finished one never does (assignment and work start times, backup attempts, retry facts, the run
 * queue flag) is not kept (a job's end cancelled its backups): {@link #of} checks that every task ended.
 */
final class FinishedTasks {
    private static final byte[] EMPTY = Task.NO_RESULT;
    private static final TaskState[] STATES = TaskState.values();

    private final byte[] states;
    private final IntColumn attempts;
    /** Each task's newest attempt id, or null when no task has one (a job restored from facts). */
    private final long[] lastAttemptIds;
    /** The agents of the newest attempts, each once; entry 0 is null (no attempt). */
    private final String[] agents;
    private final IntColumn agentOf;
    /** Results, or null when every committed result is empty (tasks not committed have none). */
    private final byte[][] values;
    /** Sparse: a task's current attempt id where it differs from its newest (a stale attempt's result won). */
    private final Map<Integer, Long> attemptIds;
    /** Sparse: the attempt whose outcome arrived last, where it differs from the newest attempt. */
    private final Map<Integer, Long> reported;
    /**
     * A task's current agent as it stood at the end: the newest attempt's where set here (an attempt the
     * end cancelled), else null or, sparsely, another.
     */
    private final BitSet currentIsLast;
    private final Map<Integer, String> currentAgents;
    private final Map<Integer, String> errors;
    private final Map<Integer, ResultBlob> blobs;
    private final Map<Integer, Integer> backups;
    private final BitSet backupWon;

    private FinishedTasks(Task[] tasks) {
        int n = tasks.length;
        states = new byte[n];
        attempts = new IntColumn(n);
        agentOf = new IntColumn(n);
        long[] ids = new long[n];
        boolean anyId = false;
        boolean anyValue = false;
        Map<String, Integer> agentTable = new HashMap<>();
        java.util.List<String> agentList = new java.util.ArrayList<>();
        agentList.add(null);
        String lastAgent = null;
        int lastAgentIndex = 0;
        Map<Integer, Long> attemptIdsOut = new HashMap<>();
        Map<Integer, Long> reportedOut = new HashMap<>();
        Map<Integer, String> otherAgentsOut = new HashMap<>();
        Map<Integer, String> errorsOut = new HashMap<>();
        Map<Integer, ResultBlob> blobsOut = new HashMap<>();
        Map<Integer, Integer> backupsOut = new HashMap<>();
        BitSet wonOut = new BitSet();
        BitSet currentOut = new BitSet();
        for (int i = 0; i < n; i++) {
            Task t = tasks[i];
            if (!t.state.isTerminal()) {
                throw new IllegalStateException("task " + i + " is " + t.state + ": only a finished job's tasks are kept compactly");
            }
            states[i] = (byte) t.state.ordinal();
            attempts.set(i, t.attempts);
            ids[i] = t.lastAttemptId;
            anyId |= t.lastAttemptId != 0;
            if (t.lastAgentId != null) {
                if (t.lastAgentId != lastAgent) { // an agent's tasks mostly come in runs: one lookup per run
                    lastAgent = t.lastAgentId;
                    lastAgentIndex = agentTable.computeIfAbsent(lastAgent, a -> {
                        agentList.add(a);
                        return agentList.size() - 1;
                    });
                }
                agentOf.set(i, lastAgentIndex);
            }
            anyValue |= !isDefaultValue(t.state, t.value);
            // The rare fields, tested before anything is boxed: the common task costs no allocation here.
            if (t.attemptId != t.lastAttemptId) {
                attemptIdsOut.put(i, t.attemptId);
            }
            if (t.reportedAttemptId != t.lastAttemptId) {
                reportedOut.put(i, t.reportedAttemptId);
            }
            if (t.agentId != null) {
                if (t.agentId.equals(t.lastAgentId)) {
                    currentOut.set(i);
                } else {
                    otherAgentsOut.put(i, t.agentId);
                }
            }
            if (t.error != null) {
                errorsOut.put(i, t.error);
            }
            if (t.blob != null) {
                blobsOut.put(i, t.blob);
            }
            if (t.backups != 0) {
                backupsOut.put(i, t.backups);
            }
            if (t.backupWon) {
                wonOut.set(i);
            }
        }
        lastAttemptIds = anyId ? ids : null;
        agents = agentList.toArray(new String[0]);
        values = anyValue ? valuesOf(tasks) : null;
        attemptIds = compact(attemptIdsOut);
        reported = reportedOut; // stays mutable: late reports add to it
        currentIsLast = currentOut.isEmpty() ? null : currentOut;
        currentAgents = compact(otherAgentsOut);
        errors = compact(errorsOut);
        blobs = compact(blobsOut);
        backups = compact(backupsOut);
        backupWon = wonOut.isEmpty() ? null : wonOut;
    }

    /** The compact form of a finished job's tasks; throws if one has not ended. */
    static FinishedTasks of(Task[] tasks) {
        return new FinishedTasks(tasks);
    }

    /** What a task's value is when none is kept: empty once committed, else none. */
    private static boolean isDefaultValue(TaskState state, byte[] value) {
        if (state != TaskState.SUCCEEDED) {
            return value == null;
        }
        return value == EMPTY || value != null && value.length == 0; // by identity first: no load of the array
    }

    private static byte[][] valuesOf(Task[] tasks) {
        byte[][] out = new byte[tasks.length][];
        for (int i = 0; i < tasks.length; i++) {
            byte[] v = tasks[i].value;
            out[i] = v != null && v.length == 0 ? EMPTY : v; // one shared empty array, not one per task
        }
        return out;
    }

    private static <V> Map<Integer, V> compact(Map<Integer, V> map) {
        return map.isEmpty() ? Map.of() : map;
    }

    int size() {
        return states.length;
    }

    TaskState state(int i) {
        return STATES[states[i]];
    }

    int attempts(int i) {
        return attempts.get(i);
    }

    long lastAttemptId(int i) {
        return lastAttemptIds == null ? 0 : lastAttemptIds[i];
    }

    /** The task's current attempt id as it stood at the end (what a compaction's commit fact names). */
    long attemptId(int i) {
        Long differing = sparse(attemptIds, i);
        return differing != null ? differing : lastAttemptId(i);
    }

    String lastAgentId(int i) {
        return agents[agentOf.get(i)];
    }

    long reportedAttemptId(int i) {
        Long differing = sparse(reported, i);
        return differing != null ? differing : lastAttemptId(i);
    }

    /** A report for the finished task arrived: its attempt is over (a heartbeat naming it later is not adopted). */
    void noteReported(int i, long attemptId) {
        if (attemptId == lastAttemptId(i)) {
            reported.remove(i);
        } else {
            reported.put(i, attemptId);
        }
    }

    byte[] value(int i) {
        if (values != null) {
            return values[i];
        }
        return state(i) == TaskState.SUCCEEDED ? EMPTY : null;
    }

    ResultBlob blob(int i) {
        return sparse(blobs, i);
    }

    String error(int i) {
        return sparse(errors, i);
    }

    /** A sparse column's entry; an empty one (the common case) is read without boxing the index. */
    private static <V> V sparse(Map<Integer, V> column, int i) {
        return column.isEmpty() ? null : column.get(i);
    }

    /** Adds the store references of the tasks' result blobs to {@code out}. */
    void addBlobRefs(Set<String> out) {
        blobs.values().forEach(b -> out.add(b.sha256()));
    }

    /**
     * A fresh, detached {@link Task} with what is kept of task {@code i}: for readers that take a task
     * whole (views, recovery's checks). Changing it changes nothing here.
     */
    Task task(int i) {
        Task t = new Task(i);
        t.state = state(i);
        t.attempts = attempts(i);
        t.lastAttemptId = lastAttemptId(i);
        t.attemptId = attemptId(i);
        t.lastAgentId = lastAgentId(i);
        t.agentId = currentIsLast != null && currentIsLast.get(i) ? t.lastAgentId : sparse(currentAgents, i);
        t.reportedAttemptId = reportedAttemptId(i);
        t.error = error(i);
        t.value = value(i);
        t.blob = blob(i);
        Integer backupCount = sparse(backups, i);
        t.backups = backupCount == null ? 0 : backupCount;
        t.backupWon = backupWon != null && backupWon.get(i);
        return t;
    }

    /**
     * Non-negative ints in one byte each, widened to two or four bytes when a larger one is set (attempt
     * counts, agent indexes): written once, in one pass, while a job's tasks are retired.
     */
    private static final class IntColumn {
        private byte[] bytes;
        private char[] chars;
        private int[] ints;

        IntColumn(int size) {
            bytes = new byte[size];
        }

        void set(int i, int v) {
            if (bytes != null && (v & ~0xFF) == 0) {
                bytes[i] = (byte) v;
            } else if (ints == null && (v & ~0xFFFF) == 0) {
                if (chars == null) {
                    chars = new char[bytes.length];
                    for (int j = 0; j < i; j++) {
                        chars[j] = (char) (bytes[j] & 0xFF);
                    }
                    bytes = null;
                }
                chars[i] = (char) v;
            } else {
                if (ints == null) {
                    ints = new int[bytes != null ? bytes.length : chars.length];
                    for (int j = 0; j < i; j++) {
                        ints[j] = bytes != null ? bytes[j] & 0xFF : chars[j];
                    }
                    bytes = null;
                    chars = null;
                }
                ints[i] = v;
            }
        }

        int get(int i) {
            return bytes != null ? bytes[i] & 0xFF : chars != null ? chars[i] : ints[i];
        }
    }
}
