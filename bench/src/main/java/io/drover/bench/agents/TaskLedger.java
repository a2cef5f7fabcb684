package io.drover.bench.agents;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the simulated agents saw of one job (the first job they are given: the bench submits one): how often each task was assigned and how often its
 * result was acknowledged, and which agent ran it. The verdict: every task acknowledged exactly once.
 */
public final class TaskLedger {
    private final AtomicReference<String> jobId = new AtomicReference<>();
    private final AtomicIntegerArray assigned;
    private final AtomicIntegerArray acked;
    private final AtomicIntegerArray perAgent;
    private final LongAdder foreign = new LongAdder();

    public TaskLedger(int tasks, int agents) {
        this.assigned = new AtomicIntegerArray(tasks);
        this.acked = new AtomicIntegerArray(tasks);
        this.perAgent = new AtomicIntegerArray(agents);
    }

    /** The job's id, once a task of it was assigned; null before. */
    public String jobId() {
        return jobId.get();
    }

    private boolean ours(String job) {
        return job != null && (job.equals(jobId.get()) || jobId.compareAndSet(null, job));
    }

    /** An assignment of {@code task} to agent number {@code agent}; false (and counted) if not of this job. */
    public boolean assigned(String job, int task, int agent) {
        if (!ours(job) || task < 0 || task >= assigned.length()) {
            foreign.increment();
            return false;
        }
        assigned.incrementAndGet(task);
        perAgent.incrementAndGet(agent);
        return true;
    }

    public void acked(String job, int task) {
        if (ours(job) && task >= 0 && task < acked.length()) {
            acked.incrementAndGet(task);
        } else {
            foreign.increment();
        }
    }

    public long ackedTasks() {
        long n = 0;
        for (int i = 0; i < acked.length(); i++) {
            n += acked.get(i) > 0 ? 1 : 0;
        }
        return n;
    }

    public Verdict verdict() {
        int tasks = acked.length();
        int never = 0;
        int twice = 0;
        int reassigned = 0;
        for (int i = 0; i < tasks; i++) {
            int a = acked.get(i);
            never += a == 0 ? 1 : 0;
            twice += a > 1 ? 1 : 0;
            reassigned += assigned.get(i) > 1 ? 1 : 0;
        }
        int[] counts = new int[perAgent.length()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = perAgent.get(i);
        }
        Arrays.sort(counts);
        int median = counts.length == 0 ? 0 : counts[counts.length / 2];
        return new Verdict(tasks, never, twice, reassigned, foreign.intValue(),
                counts.length == 0 ? 0 : counts[0], median, counts.length == 0 ? 0 : counts[counts.length - 1]);
    }

    /**
     * @param neverAcked  tasks whose result no reply acknowledged
     * @param ackedTwice  tasks acknowledged more than once (a doubled result)
     * @param reassigned  tasks assigned more than once (a no-op task never fails, so each is a rerun)
     * @param foreign     assignments or acks of another job or out of range
     */
    public record Verdict(int tasks, int neverAcked, int ackedTwice, int reassigned, int foreign,
                          int minPerAgent, int medianPerAgent, int maxPerAgent) {
        public boolean exactlyOnce() {
            return neverAcked == 0 && ackedTwice == 0 && reassigned == 0 && foreign == 0;
        }
    }
}
