package io.drover.coordinator.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A job inside the core: its tasks, the queue of tasks ready to run and per-state counters kept
 * current by {@link #move}, so status queries never scan 100k tasks. Once the job ended its tasks are
 * {@link #retire retired} to a compact read-only form ({@link FinishedTasks}): read them through
 * {@link #task} and the column accessors, which serve both forms.
 */
final class Job {
    final JobDefinition def;
    final long order;
    JobState state;
    /** The live tasks; null once the job ended and they were retired to {@link #finished}. */
    private Task[] tasks;
    private FinishedTasks finished;
    private final IntQueue runQueue = new IntQueue();
    private final int[] countByState = new int[TaskState.values().length];
    private int readyCount;
    int shardsSucceeded;
    String error;
    byte[] result;
    /** The job's result when it is a blob in the store, else null. */
    ResultBlob resultBlob;
    Long endedAtMs;
    /** The result codec the job's code declared (null until a result carried one). */
    String resultCodec;
    /** Finished shards' run times, for the straggler threshold (see {@link Backups}). */
    final TaskTimes taskTimes = new TaskTimes();
    /** Backups started for the job's tasks, and those whose result won (soft: this leader's count). */
    int backupsStarted;
    int backupsWon;
    /** Tasks now RUNNING, oldest start first: what a straggler scan reads instead of every task. */
    private final java.util.LinkedHashSet<Task> running = new java.util.LinkedHashSet<>();
    /** With a spread label: running attempts per value of it ("" for agents without it); else null. */
    private final java.util.Map<String, Integer> runningBySpread;

    Job(JobDefinition def, long order) {
        this.def = def;
        this.order = order;
        this.state = def.dependencies().isEmpty() ? JobState.RUNNING : JobState.WAITING;
        this.tasks = new Task[def.taskCount()];
        for (int i = 0; i < tasks.length; i++) {
            tasks[i] = new Task(i);
        }
        countByState[TaskState.PENDING.ordinal()] = tasks.length;
        runningBySpread = def.spreadLabel() == null ? null : new java.util.HashMap<>();
    }

    /** The agent's value of this job's spread label ("" if it has none), or null when the job does not spread. */
    String spreadValueOf(AgentRecord agent) {
        return runningBySpread == null ? null : agent.labels.getOrDefault(def.spreadLabel(), "");
    }

    void spreadStarted(String value) {
        if (value != null && runningBySpread != null) {
            runningBySpread.merge(value, 1, Integer::sum);
        }
    }

    void spreadEnded(String value) {
        if (value != null && runningBySpread != null) {
            runningBySpread.computeIfPresent(value, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Running attempts on agents whose spread label has {@code value}. */
    int runningWithSpread(String value) {
        return runningBySpread == null ? 0 : runningBySpread.getOrDefault(value, 0);
    }

    int taskCount() {
        return tasks != null ? tasks.length : finished.size();
    }

    /**
     * Task {@code i}: the live object while the job runs; once it ended and its tasks were retired, a
     * fresh detached copy (all its tasks are terminal then; changing the copy changes nothing).
     */
    Task task(int i) {
        Task[] live = tasks;
        return live != null ? live[i] : finished.task(i);
    }

    /** Whether the job's tasks were retired: every one is terminal and none is a live object any more. */
    boolean retired() {
        return tasks == null;
    }

    /**
     * The job ended (its running attempts were cancelled, its tasks are all terminal, its run queue was
     * dropped): its tasks are kept compactly from now on.
     */
    void retire() {
        if (tasks != null && allEnded(tasks)) { // by construction; if not, the job keeps its Task objects
            finished = FinishedTasks.of(tasks);
            tasks = null;
        }
    }

    private static boolean allEnded(Task[] tasks) {
        for (Task t : tasks) {
            if (!t.state.isTerminal()) {
                return false;
            }
        }
        return true;
    }

    // Column reads that allocate no Task for a retired job (scans of every task: compaction, pages, results).

    TaskState taskState(int i) {
        return tasks != null ? tasks[i].state : finished.state(i);
    }

    int taskAttempts(int i) {
        return tasks != null ? tasks[i].attempts : finished.attempts(i);
    }

    long taskAttemptId(int i) {
        return tasks != null ? tasks[i].attemptId : finished.attemptId(i);
    }

    byte[] taskValue(int i) {
        return tasks != null ? tasks[i].value : finished.value(i);
    }

    ResultBlob taskBlob(int i) {
        return tasks != null ? tasks[i].blob : finished.blob(i);
    }

    String taskError(int i) {
        return tasks != null ? tasks[i].error : finished.error(i);
    }

    /** The task's durable retry record, for a task still to run (a retired job's tasks have none). */
    Fact.TaskRetried taskLastRetry(int i) {
        return tasks != null ? tasks[i].lastRetry : null;
    }

    /** Adds the store references of the tasks' result blobs to {@code out}. */
    void addTaskBlobRefs(java.util.Set<String> out) {
        if (tasks == null) {
            finished.addBlobRefs(out);
            return;
        }
        for (Task t : tasks) {
            if (t.blob != null) {
                out.add(t.blob.sha256());
            }
        }
    }

    /** An outcome of attempt {@code attemptId} of task {@code i} arrived (see {@link Task#reportedAttemptId}). */
    void noteReported(int i, long attemptId) {
        if (tasks != null) {
            tasks[i].reportedAttemptId = attemptId;
        } else {
            finished.noteReported(i, attemptId);
        }
    }

    boolean isReduceTask(int index) {
        return def.reduce() && index == def.shardCount();
    }

    /** Changes a task's state through the transition table, keeping counters right. */
    void move(Task task, TaskState target) {
        TaskState from = task.state;
        task.state = from.to(target);
        countByState[from.ordinal()]--;
        countByState[target.ordinal()]++;
        if (from == TaskState.RUNNING) {
            running.remove(task);
        }
        if (target == TaskState.RUNNING) {
            running.add(task);
        }
        if (target == TaskState.SUCCEEDED && !isReduceTask(task.index)) {
            shardsSucceeded++;
        }
        if (from == TaskState.PENDING && task.queued) {
            readyCount--;
            task.queued = false; // its queue entry is now stale and will be skipped
        }
    }

    /** Puts a PENDING task in the run queue. */
    void enqueue(Task task) {
        if (task.state != TaskState.PENDING) {
            throw new IllegalStateException("task " + task.index + " of " + def.jobId() + " is " + task.state);
        }
        if (!task.queued) {
            task.queued = true;
            readyCount++;
            runQueue.add(task.index);
        }
    }

    /** Next task ready to run, or null. */
    Task pollReady() {
        while (!runQueue.isEmpty()) {
            Task task = tasks[runQueue.poll()];
            if (task.queued && task.state == TaskState.PENDING) {
                task.queued = false;
                readyCount--;
                return task;
            }
        }
        return null;
    }

    /** A RUNNING task's current attempt changed (a backup took over): it counts as started now. */
    void restartedRunning(Task task) {
        if (running.remove(task)) {
            running.add(task);
        }
    }

    /** The RUNNING tasks, oldest start first (read-only). */
    java.util.Collection<Task> running() {
        return java.util.Collections.unmodifiableCollection(running);
    }

    int readyCount() {
        return readyCount;
    }

    int count(TaskState state) {
        return countByState[state.ordinal()];
    }

    List<Task> nonTerminalTasks() {
        List<Task> out = new ArrayList<>();
        if (tasks == null) {
            return out; // retired: every task ended
        }
        for (Task t : tasks) {
            if (!t.state.isTerminal()) {
                out.add(t);
            }
        }
        return out;
    }

    void dropQueue() {
        runQueue.clear();
        if (tasks != null) {
            for (Task t : tasks) {
                t.queued = false;
            }
        }
        readyCount = 0;
    }
}
