package io.drover.coordinator.stream;

import java.time.Clock;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The leader's task stream: each attempt's agent, slot, start, end and outcome, fed from what the agent
 * endpoint sees (assignments in heartbeat replies, results in heartbeat requests). Soft state in a bounded
 * buffer: it starts empty with each leadership term (a display aid, never a durable fact), and when it holds
 * more than {@code maxAttempts} the oldest jobs are dropped first; a single job that alone reaches the bound
 * stops being recorded (its stream says {@code truncated}).
 *
 * <p>Outcomes: an attempt is RUNNING from its assignment; a result ends it (SUCCEEDED; FAILED for failed,
 * timed out or rejected; CANCELLED); a failed attempt becomes RETRIED when its task gets a new attempt;
 * a still-running attempt becomes LOST when its task is assigned again (its agent was declared lost).
 * Slots are numbered here, per agent, lowest free first: agents do not say which slot runs what.
 *
 * <p>Thread-safe; every method holds the lock for a few map operations, except {@link #stream}, which copies
 * one job's columns under the lock and aggregates outside it.
 */
public final class TaskStreamRecorder {
    public static final int DEFAULT_MAX_ATTEMPTS = 200_000;
    /** The largest task index a job has (its reduce task after the most shards a job may have). */
    static final int MAX_TASK = 1_000_000;

    private final Clock clock;
    private final int maxAttempts;
    private final LinkedHashMap<String, JobAttempts> jobs = new LinkedHashMap<>();
    private final Map<String, Integer> agentIndex = new HashMap<>();
    private final List<String> agentNames = new ArrayList<>();
    private final Map<Integer, BitSet> busySlots = new HashMap<>();
    private long epoch = Long.MIN_VALUE;
    private int total;

    public TaskStreamRecorder(Clock clock, int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        this.clock = clock;
        this.maxAttempts = maxAttempts;
    }

    public TaskStreamRecorder(Clock clock) {
        this(clock, DEFAULT_MAX_ATTEMPTS);
    }

    /** The leader handed {@code attemptId} of {@code jobId}'s {@code task} to {@code agentId}, in leadership term {@code epoch}. */
    public synchronized void assigned(long epoch, String agentId, String jobId, int task, long attemptId) {
        termIs(epoch);
        if (task < 0 || task > MAX_TASK) {
            return;
        }
        long now = clock.millis();
        JobAttempts job = jobs.computeIfAbsent(jobId, JobAttempts::new);
        if (job.find(task, attemptId) >= 0) {
            return;
        }
        if (job.size >= maxAttempts) {
            job.truncated = true;
            return;
        }
        int before = job.newest(task);
        if (before >= 0) {
            AttemptOutcome was = job.outcome(before);
            if (was == AttemptOutcome.RUNNING) {
                freeSlot(job, before);
                job.end(before, now, AttemptOutcome.LOST);
            } else if (was == AttemptOutcome.FAILED) {
                job.outcome(before, AttemptOutcome.RETRIED);
            }
        }
        int agent = agent(agentId);
        BitSet busy = busySlots.computeIfAbsent(agent, a -> new BitSet());
        int slot = busy.nextClearBit(0);
        busy.set(slot);
        job.add(attemptId, task, agent, slot, now, -1, AttemptOutcome.RUNNING, true);
        total++;
        evict(job);
    }

    /**
     * {@code agentId} reported a result of {@code attemptId}; {@code outcome} is SUCCEEDED, FAILED or CANCELLED.
     * A result of an attempt this leader never assigned (adopted after a failover) is recorded from its run time.
     * Repeated reports of an ended attempt change nothing; a late result of one taken as LOST tells its real end.
     */
    public synchronized void finished(long epoch, String agentId, String jobId, int task, long attemptId,
                                      AttemptOutcome outcome, long runMillis) {
        termIs(epoch);
        if (task < 0 || task > MAX_TASK) {
            return; // an agent's report, not checked yet: never let it size the task index
        }
        long now = clock.millis();
        JobAttempts job = jobs.computeIfAbsent(jobId, JobAttempts::new);
        int i = job.find(task, attemptId);
        if (i >= 0) {
            AttemptOutcome was = job.outcome(i);
            if (was == AttemptOutcome.RUNNING) {
                freeSlot(job, i);
                job.end(i, now, outcome);
            } else if (was == AttemptOutcome.LOST) {
                job.outcome(i, outcome == AttemptOutcome.FAILED ? AttemptOutcome.RETRIED : outcome);
            }
            return;
        }
        if (job.size >= maxAttempts) {
            job.truncated = true;
            return;
        }
        int newest = job.newest(task);
        boolean isNewest = newest < 0 || job.outcome(newest) != AttemptOutcome.RUNNING;
        job.add(attemptId, task, agent(agentId), -1, now - Math.max(0, runMillis), now, outcome, isNewest);
        total++;
        evict(job);
    }

    /**
     * The job's stream in at most {@code buckets} time buckets, with each attempt when there are at most
     * {@code maxListed}; an empty stream when this leader saw no attempt of the job.
     */
    public TaskStream stream(String jobId, int buckets, int maxListed) {
        JobAttempts.Columns columns;
        List<String> names;
        long now;
        synchronized (this) {
            now = clock.millis();
            JobAttempts job = jobs.get(jobId);
            columns = job == null ? null : job.copy();
            names = List.copyOf(agentNames);
        }
        return TaskStreamAggregation.of(jobId, columns, names, buckets, maxListed, now);
    }

    /** Attempts held, over every job. */
    public synchronized int size() {
        return total;
    }

    private void termIs(long newEpoch) {
        if (newEpoch != epoch) {
            epoch = newEpoch;
            jobs.clear();
            agentIndex.clear();
            agentNames.clear();
            busySlots.clear();
            total = 0;
        }
    }

    private int agent(String agentId) {
        return agentIndex.computeIfAbsent(agentId, id -> {
            agentNames.add(id);
            return agentNames.size() - 1;
        });
    }

    private void freeSlot(JobAttempts job, int i) {
        int slot = job.slots[i];
        if (slot >= 0) {
            BitSet busy = busySlots.get(job.agents[i]);
            if (busy != null) {
                busy.clear(slot);
            }
        }
    }

    /** Drops the oldest jobs, never {@code keep}, until the bound holds. */
    private void evict(JobAttempts keep) {
        Iterator<JobAttempts> oldest = jobs.values().iterator();
        while (total > maxAttempts && oldest.hasNext()) {
            JobAttempts job = oldest.next();
            if (job == keep) {
                continue;
            }
            for (int i = 0; i < job.size; i++) {
                if (job.outcomes[i] == AttemptOutcome.RUNNING.ordinal()) {
                    freeSlot(job, i);
                }
            }
            total -= job.size;
            oldest.remove();
        }
    }
}
