package io.drover.coordinator.engine;

import io.drover.coordinator.core.Effects;
import io.drover.coordinator.core.Event;
import io.drover.coordinator.core.Response;
import io.drover.coordinator.core.Scheduler;
import io.drover.coordinator.store.CoordinatorStore;
import io.drover.coordinator.store.Epoch;
import io.drover.coordinator.store.StoreException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns a leader's {@link Scheduler}. RPC threads offer events on a lock-free
 * MPSC queue and get futures back. Each turn drains the queue, applies every event, writes all
 * facts they produced in one fenced group commit, and only then completes the replies, so nothing
 * is acknowledged before it is durable. The exception is an answer that carries only work the core marked
 * safe to send early ({@code Effects.Reply.earlyAfterJobs}): it leaves at the end of the turn, before the
 * commit, once no commit in flight holds the definition of a job it names ({@link UncommittedFacts}). A failed commit ends this leadership term: the core's
 * memory is ahead of the store, so it is discarded and {@code onStoreFailure} is told.
 */
public final class CoreLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CoreLoop.class);
    private static final int MAX_EVENTS_PER_TURN = 4096;

    private record Envelope(Event event, CompletableFuture<Response> reply) {
    }

    private final Scheduler scheduler;
    private final CoordinatorStore store;
    private final Epoch epoch;
    private final Clock clock;
    private final long tickNanos;
    private final Consumer<StoreException> onStoreFailure;
    private final MpscUnboundedXaddArrayQueue<Envelope> queue = new MpscUnboundedXaddArrayQueue<>(1024);
    private final AtomicLong requestIds = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Map<Long, CompletableFuture<Response>> waiting = new HashMap<>();
    /** Request ids of long polls (heartbeats that may park) not yet answered: for the metrics' gauge. */
    private final java.util.Set<Long> polls = new java.util.HashSet<>();
    private final Effects effects = new Effects();
    /** Events the core failed to apply, by kind: the first of a kind is logged with its stack. */
    private final Map<String, Long> failedEvents = new HashMap<>();
    private final LoopMetrics metrics;
    private volatile Thread thread;
    private final long compactAfterFacts;
    private long factsSinceCompaction;

    public CoreLoop(Scheduler scheduler, CoordinatorStore store, Epoch epoch, Clock clock, long tickMillis,
                    long compactAfterFacts, LoopMetrics metrics, Consumer<StoreException> onStoreFailure) {
        this.compactAfterFacts = compactAfterFacts;
        this.scheduler = scheduler;
        this.store = store;
        this.epoch = epoch;
        this.clock = clock;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMillis);
        this.metrics = metrics;
        this.onStoreFailure = onStoreFailure;
    }

    public void start() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        Thread t = new Thread(this::run, "drover-core-epoch-" + epoch.value());
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    public long nowMs() {
        return clock.millis();
    }

    /** Hands an event (built with a fresh request id and the current time) to the core. */
    /** Hands the core an event that needs no reply. */
    public void tell(Event event) {
        if (running.get()) {
            queue.offer(new Envelope(event, null));
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    public CompletableFuture<Response> offer(LongFunction<Event> event) {
        CompletableFuture<Response> reply = new CompletableFuture<>();
        if (!running.get()) {
            reply.completeExceptionally(new LeadershipLostException("this coordinator is no longer the leader"));
            return reply;
        }
        queue.offer(new Envelope(event.apply(requestIds.incrementAndGet()), reply));
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
        return reply;
    }

    private void run() {
        long nextTick = System.nanoTime();
        try {
            while (running.get()) {
                int drained = 0;
                Envelope env;
                while (drained < MAX_EVENTS_PER_TURN && (env = queue.poll()) != null) {
                    applyOne(env);
                    drained++;
                }
                if (System.nanoTime() - nextTick >= 0) {
                    applyOne(new Envelope(new Event.Tick(clock.millis()), null));
                    nextTick = System.nanoTime() + tickNanos;
                }
                // Polls run out continuously (10,000 agents: ten a millisecond); expiring them a few ms
                // together keeps their replies in batches (one turn, one wake-up) and bounds lateness by that.
                long untilPollDeadline = scheduler.nextPollDeadlineMs() + POLL_BATCH_MS - clock.millis();
                if (untilPollDeadline <= 0) {
                    applyOne(new Envelope(new Event.PollDeadline(clock.millis()), null));
                    untilPollDeadline = scheduler.nextPollDeadlineMs() + POLL_BATCH_MS - clock.millis();
                }
                if (!effects.isEmpty() || effects.dispatchCount() > 0) {
                    flush();
                } else {
                    releaseCommitted();
                    if (drained == 0 && queue.isEmpty()) {
                        long untilTick = nextTick - System.nanoTime();
                        long untilPoll = TimeUnit.MILLISECONDS.toNanos(Math.max(1, Math.min(untilPollDeadline, 1_000)));
                        LockSupport.parkNanos(this, Math.max(0, Math.min(untilTick, untilPoll)));
                    }
                }
                metrics.eventsHandled(drained);
                metrics.parkedPolls(polls.size());
            }
        } catch (StoreException e) {
            log.error("Lost the ability to write as leader of epoch {}: {}", epoch.value(), e.getMessage());
            running.set(false);
            failAll(new LeadershipLostException("leadership lost: " + e.getMessage()));
            onStoreFailure.accept(e);
        } catch (RuntimeException | Error e) {
            log.error("Scheduling core of epoch {} crashed; giving up leadership", epoch.value(), e);
            running.set(false);
            failAll(new LeadershipLostException("coordinator core failed: " + e));
            onStoreFailure.accept(new StoreException("core crashed", e));
        }
        failAll(new LeadershipLostException("this coordinator is no longer the leader"));
    }

    /**
     * Applies one event. The core refuses bad events before it changes anything; should it still
     * throw, only this event fails: what it added to this turn's effects is dropped, its caller
     * gets an internal error, and the loop goes on leading. Store failures still end the term.
     */
    private void applyOne(Envelope env) {
        Effects.Mark mark = effects.mark();
        long requestId = 0;
        try {
            if (env.reply != null) {
                requestId = requestIdOf(env.event);
                waiting.put(requestId, env.reply);
                if (env.event instanceof Event.Heartbeat h && h.maxWaitMs() > 0) {
                    polls.add(requestId);
                }
            }
            scheduler.apply(env.event, effects);
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            effects.rollBack(mark);
            String kind = env.event.getClass().getSimpleName();
            long count = failedEvents.merge(kind, 1L, Long::sum);
            if (count == 1) {
                log.error("Scheduling core of epoch {} failed to apply a {} event; refused it and kept leading", epoch.value(), kind, e);
            } else {
                log.error("Scheduling core of epoch {} failed to apply a {} event ({} so far): {}", epoch.value(), kind, count, e.toString());
            }
            if (env.reply != null) {
                waiting.remove(requestId);
                polls.remove(requestId);
                env.reply.completeExceptionally(new EventFailedException(kind, e));
            }
        }
    }

    /**
     * Starts the group commit of this turn's facts and queues its replies behind it. Commits are
     * pipelined (up to {@link #MAX_COMMITS_IN_FLIGHT}): the core goes on with the next turn while
     * ZooKeeper writes, and replies leave strictly in commit order, each only once its own and
     * every earlier commit is durable.
     */
    private void flush() {
        effects.notes().forEach(line -> log.info(line));
        for (int i = 0; i < effects.dispatchCount(); i++) {
            metrics.dispatched(effects.dispatchMillis(i));
        }
        CompletableFuture<Void> commit = NOTHING_TO_COMMIT;
        int facts = effects.facts().size();
        UncommittedFacts.Pending pending = UncommittedFacts.Pending.NONE;
        if (facts > 0) {
            pending = uncommitted.begin(effects.facts());
            commit = store.commitAsync(epoch, List.copyOf(effects.facts()));
            factsSinceCompaction += facts;
            Thread t = thread;
            commit.whenComplete((ok, error) -> LockSupport.unpark(t));
        }
        inFlight.add(new Turn(commit, sendEarly(effects.replies()), facts, facts == 0 ? FactTally.NONE
                : FactTally.of(effects.facts()), System.nanoTime(), pending));
        effects.clear();
        releaseCommitted();
        while (inFlight.size() > MAX_COMMITS_IN_FLIGHT) {
            awaitOldest();
        }
        if (factsSinceCompaction >= compactAfterFacts) {
            while (!inFlight.isEmpty()) {
                awaitOldest();
            }
            // The snapshot must match exactly what has been committed: nothing is in flight now.
            long start = System.nanoTime();
            store.compact(epoch, scheduler.durableState(), metrics::stepped);
            metrics.compacted(System.nanoTime() - start);
            factsSinceCompaction = 0;
        }
    }

    private static final CompletableFuture<Void> NOTHING_TO_COMMIT = CompletableFuture.completedFuture(null);
    private static final int MAX_COMMITS_IN_FLIGHT = 8;
    /** A parked poll is answered at most this late after its deadline (the tick bounds it otherwise). */
    private static final long POLL_BATCH_MS = 5;

    private record Turn(CompletableFuture<Void> commit, List<Effects.Reply> replies, int facts, FactTally tally,
                        long startNanos, UncommittedFacts.Pending pending) {
    }

    private final UncommittedFacts uncommitted = new UncommittedFacts();

    /** Completes the replies that may leave before this turn's commit; returns the ones that wait for it. */
    private List<Effects.Reply> sendEarly(List<Effects.Reply> replies) {
        List<Effects.Reply> later = new java.util.ArrayList<>(replies.size());
        List<Effects.Reply> now = new java.util.ArrayList<>();
        for (Effects.Reply r : replies) {
            (r.earlyAfterJobs() != null && uncommitted.allowsEarly(r.earlyAfterJobs()) ? now : later).add(r);
        }
        metrics.replied(now.size(), later.size()); // counted before a caller can see the reply
        now.forEach(this::complete);
        return later;
    }

    private void complete(Effects.Reply r) {
        CompletableFuture<Response> f = waiting.remove(r.requestId());
        polls.remove(r.requestId());
        if (f != null) {
            f.complete(r.response());
        }
    }

    private final ArrayDeque<Turn> inFlight = new ArrayDeque<>();

    /** Sends the replies of every finished commit at the head of the queue, in order. */
    private void releaseCommitted() {
        while (!inFlight.isEmpty() && inFlight.peek().commit().isDone()) {
            Turn turn = inFlight.poll();
            if (turn.commit().isCompletedExceptionally()) {
                throw storeFailure(turn.commit());
            }
            if (turn.facts() > 0) {
                metrics.committed(turn.facts(), System.nanoTime() - turn.startNanos());
                metrics.durable(turn.tally());
                uncommitted.durable(turn.pending());
            }
            turn.replies().forEach(this::complete);
        }
    }

    private void awaitOldest() {
        Turn oldest = inFlight.peek();
        try {
            oldest.commit().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a commit");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw storeFailure(oldest.commit());
        }
        releaseCommitted();
    }

    private static StoreException storeFailure(CompletableFuture<Void> commit) {
        try {
            commit.getNow(null);
            return new StoreException("commit did not finish within 30 s");
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause() instanceof StoreException se ? se : new StoreException("commit failed", e.getCause());
        }
    }

    private static long requestIdOf(Event e) {
        if (e instanceof Event.Heartbeat h) {
            return h.requestId();
        } else if (e instanceof Event.SubmitJob s) {
            return s.requestId();
        } else if (e instanceof Event.SubmitWorkflow w) {
            return w.requestId();
        } else if (e instanceof Event.Query q) {
            return q.requestId();
        } else if (e instanceof Event.RegisterAgent r) {
            return r.requestId();
        } else if (e instanceof Event.CancelJob c) {
            return c.requestId();
        } else if (e instanceof Event.DrainAgent d) {
            return d.requestId();
        } else if (e instanceof Event.ForgetAgent f) {
            return f.requestId();
        } else if (e instanceof Event.ScheduleCommand s) {
            return s.requestId();
        } else if (e instanceof Event.LocateTask l) {
            return l.requestId();
        } else if (e instanceof Event.SetQuota q) {
            return q.requestId();
        } else if (e instanceof Event.RemoveQuota r) {
            return r.requestId();
        }
        throw new IllegalArgumentException("event without request id: " + e);
    }

    private void failAll(RuntimeException cause) {
        waiting.values().forEach(f -> f.completeExceptionally(cause));
        waiting.clear();
        polls.clear();
        Envelope env;
        while ((env = queue.poll()) != null) {
            if (env.reply != null) {
                env.reply.completeExceptionally(cause);
            }
        }
    }

    /** Stops the loop; pending and parked requests fail with {@link LeadershipLostException}. */
    @Override
    public void close() {
        if (running.getAndSet(false)) {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
