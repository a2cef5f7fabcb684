package io.drover.agent.exec;

import io.drover.agent.platform.NamedThreads;

import io.drover.agent.task.RequestRejectedException;
import io.drover.agent.task.AttemptRef;
import io.drover.agent.jobcode.Failures;
import io.drover.agent.task.Execution;
import io.drover.agent.task.JobDescription;
import io.drover.agent.task.JobDescription.JobKind;
import io.drover.agent.task.TaskAssignment;
import io.drover.agent.task.TaskOutcome;
import io.drover.agent.task.TaskReport;
import io.drover.protocol.NoLeaderException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs accepted attempts, at most one per slot at once, enforces task timeouts, cancels on
 * request, and hands every finished attempt to the {@link ResultSink} exactly once.
 *
 * <p>A cancel, a timeout or agent shutdown reports the attempt at once and then interrupts its
 * thread; the executor kills whatever it started. Whatever the task returns after that is dropped
 * (see {@link AttemptState}). Preparing a job (describing it, fetching its artifact) happens on the
 * task thread too, so a slow download delays only the tasks that need it; the timeout clock starts
 * after preparation (and, for worker JVM tasks, once a worker is ready).
 */
public final class TaskSupervisor implements WorkReceiver, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskSupervisor.class);
    private static final Duration TERMINATION_GRACE = Duration.ofSeconds(5);

    private final String agentId;
    private final int slots;
    private final int queueAhead;
    private final JobLookup jobs;
    private final Map<JobKind, TaskExecutor> executors;
    private final ResultSink sink;
    private final Clock clock;
    private final ThreadPoolExecutor pool;
    /** At most {@code slots} attempts run at once; an executor that queues its own tasks bounds them itself. */
    private final Semaphore running;
    private final ScheduledThreadPoolExecutor timer;
    private final Map<Long, Attempt> attempts = new ConcurrentHashMap<>();
    private final TaskCounters counters = new TaskCounters();
    private volatile boolean closed;

    public TaskSupervisor(String agentId, int slots, JobLookup jobs, Map<JobKind, TaskExecutor> executors,
                          ResultSink sink, Clock clock) {
        this(agentId, slots, 0, jobs, executors, sink, clock);
    }

    /**
     * {@code slots} tasks run at once; up to {@code queueAhead} more are accepted and wait in the
     * pool's queue, so a freed slot starts its next task without a round trip to the coordinator.
     * A queued task's timeout starts when it starts.
     */
    public TaskSupervisor(String agentId, int slots, int queueAhead, JobLookup jobs, Map<JobKind, TaskExecutor> executors,
                          ResultSink sink, Clock clock) {
        this.agentId = agentId;
        this.slots = slots;
        this.queueAhead = queueAhead;
        this.jobs = jobs;
        this.executors = new EnumMap<>(executors);
        this.sink = sink;
        this.clock = clock;
        // One thread per accepted attempt (slots + queue-ahead), so an executor that queues tasks itself
        // (worker JVMs, several tasks in flight per worker) gets the queued-ahead ones at once; the others
        // wait for one of the slots' permits. Task threads are daemons: a job that ignores interrupts must
        // not keep a stopping agent alive.
        this.running = new Semaphore(slots, true);
        this.pool = new ThreadPoolExecutor(slots + queueAhead, slots + queueAhead, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                new NamedThreads("drover-" + agentId + "-task", true));
        this.timer = new ScheduledThreadPoolExecutor(1, new NamedThreads("drover-" + agentId + "-timeouts", true));
        timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * Accepts an assignment. A repeated one, or one whose result is held, is ignored. One that
     * arrives while the agent closes (sent before the coordinator heard of it) is given back at once:
     * reported CANCELLED without running, so the coordinator re-queues it instead of waiting to
     * declare this agent lost.
     */
    @Override
    public void assign(TaskAssignment assignment) {
        if (sink.holds(assignment.attemptId())) {
            log.debug("ignoring {}: its result is already held", assignment);
            return;
        }
        if (closed) {
            giveBack(assignment);
            return;
        }
        Attempt attempt = new Attempt(assignment);
        if (attempts.putIfAbsent(assignment.attemptId(), attempt) != null) {
            log.debug("ignoring repeated {}", assignment);
            return;
        }
        try {
            attempt.task(pool.submit(() -> run(attempt)));
        } catch (RejectedExecutionException e) {
            if (attempts.remove(assignment.attemptId(), attempt) && attempt.finish()) {
                giveBack(assignment); // closing began between the check and the submit
            }
        }
    }

    private void giveBack(TaskAssignment assignment) {
        log.info("giving back {}: agent {} is shutting down", assignment, agentId);
        sink.finished(new TaskReport(assignment.ref(),
                Execution.withError(TaskOutcome.CANCELLED, "agent " + agentId + " was shutting down; given back unstarted"), 0));
    }

    @Override
    public void cancel(long attemptId) {
        Attempt attempt = attempts.get(attemptId);
        if (attempt != null) {
            stop(attempt, TaskOutcome.CANCELLED, "cancelled by the coordinator");
        }
    }

    @Override
    public List<AttemptRef> running() {
        return attempts.values().stream().map(a -> a.assignment.ref()).toList();
    }

    @Override
    public Set<Long> queued() {
        if (queueAhead == 0) {
            return Set.of(); // every accepted attempt has its slot
        }
        Set<Long> waiting = new HashSet<>();
        attempts.values().forEach(a -> {
            if (a.waiting()) {
                waiting.add(a.assignment.attemptId());
            }
        });
        return waiting;
    }

    /** Whether this attempt was accepted and has not been reported yet. */
    public boolean runs(long attemptId) {
        return attempts.containsKey(attemptId);
    }

    /** Free slots; none once closing began, so no heartbeat invites new work. */
    @Override
    public int freeSlots() {
        return closed ? 0 : Math.max(0, slots + queueAhead - attempts.size());
    }

    public TaskCounts counts() {
        return counters.snapshot();
    }

    private void run(Attempt attempt) {
        if (!attempt.start(clock.millis())) {
            return; // cancelled while queued, already reported
        }
        counters.started();
        log.debug("starting {}", attempt.assignment);
        Execution execution;
        try {
            execution = execute(attempt);
        } catch (InterruptedException e) {
            execution = Execution.failed("interrupted while running on agent " + agentId);
            Thread.currentThread().interrupt();
        } catch (Error e) {
            // Logged here because the pool's Future would keep it where nobody looks.
            log.error("{} hit a fatal error on agent {}", attempt.assignment, agentId, e);
            finish(attempt, Execution.failed("agent " + agentId + " hit " + e + " while running the task"));
            throw e;
        } finally {
            attempt.disarmTimeout();
        }
        finish(attempt, execution);
    }

    private Execution execute(Attempt attempt) throws InterruptedException {
        TaskAssignment task = attempt.assignment;
        try {
            JobDescription job = jobs.describe(task.jobId());
            TaskExecutor executor = executors.get(job.kind());
            if (executor == null) {
                return Execution.rejected("agent " + agentId + " has no executor for " + job.kind() + " jobs");
            }
            executor.prepare(job);
            Runnable started = () -> {
                attempt.started(clock.millis());
                job.taskTimeout().ifPresent(limit -> armTimeout(attempt, limit));
            };
            if (executor.boundsItself(job)) {
                return executor.execute(task, job, started);
            }
            running.acquire();
            try {
                return executor.execute(task, job, started);
            } finally {
                running.release();
            }
        } catch (TaskRejectedException e) {
            return Execution.rejected(e.getMessage());
        } catch (RequestRejectedException e) {
            return Execution.rejected("coordinator would not describe job " + task.jobId() + ": " + e.getMessage());
        } catch (NoLeaderException e) {
            return Execution.failed("agent " + agentId + " could not reach a coordinator to prepare the task: " + e.getMessage());
        } catch (RuntimeException e) {
            log.error("unexpected error running {}", task, e);
            return Execution.failed("agent " + agentId + " failed to run the task: " + Failures.describe(e));
        }
    }

    /** Stops every accepted attempt, reported CANCELLED with {@code reason}; returns how many it stopped. */
    public int stopRunning(String reason) {
        int stopped = 0;
        for (Attempt attempt : attempts.values()) {
            if (stop(attempt, TaskOutcome.CANCELLED, reason)) {
                stopped++;
            }
        }
        return stopped;
    }

    private void stopAll() {
        for (Attempt attempt : attempts.values()) {
            stop(attempt, TaskOutcome.CANCELLED, "agent " + agentId + " shut down; the attempt is given back to be run again");
        }
    }

    private void armTimeout(Attempt attempt, Duration limit) {
        attempt.timeout(timer.schedule(
                () -> stop(attempt, TaskOutcome.TIMED_OUT, "timed out after " + limit.toMillis() + " ms (the job's task timeout)"),
                limit.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** True when this call finished the attempt (it had not ended otherwise). */
    private boolean stop(Attempt attempt, TaskOutcome outcome, String reason) {
        if (finish(attempt, Execution.withError(outcome, reason))) {
            attempt.interrupt();
            return true;
        }
        return false;
    }

    /** Reports the attempt if this call is the one that finished it. */
    private boolean finish(Attempt attempt, Execution execution) {
        if (!attempt.finish()) {
            log.debug("dropping late result of {} ({}): it was already reported", attempt.assignment, execution.outcome());
            return false;
        }
        long runMillis = attempt.runMillis(clock.millis());
        counters.finished(execution.outcome());
        logFinish(attempt.assignment, execution, runMillis);
        sink.finished(new TaskReport(attempt.assignment.ref(), execution, runMillis));
        // Removed only once the sink holds the result, so a repeated assignment is never mistaken for new work.
        attempts.remove(attempt.assignment.attemptId());
        return true;
    }

    private static void logFinish(TaskAssignment task, Execution execution, long runMillis) {
        if (execution.outcome() == TaskOutcome.SUCCEEDED) {
            log.debug("{} SUCCEEDED in {} ms", task, runMillis);
        } else {
            log.info("{} {} after {} ms: {}", task, execution.outcome(), runMillis, execution.error().orElse(""));
        }
    }

    /**
     * Stops every attempt, interrupts the task threads and waits a little for them, so processes they
     * started are killed. The attempts are reported CANCELLED: the coordinator takes that as work given
     * back and queues the task again at once, without counting an attempt against it (the task did
     * nothing wrong), instead of waiting to declare this agent lost.
     */
    @Override
    public void close() {
        closed = true;
        stopAll();
        pool.shutdownNow();
        stopAll(); // an assignment accepted while closing began may have slipped past the first sweep
        timer.shutdownNow();
        try {
            if (!pool.awaitTermination(TERMINATION_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("agent {}: {} task threads still busy {} s after shutdown; a job is ignoring interrupts",
                        agentId, pool.getActiveCount(), TERMINATION_GRACE.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
