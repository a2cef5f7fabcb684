package io.drover.coordinator.engine;

import io.drover.coordinator.core.Effects;
import io.drover.coordinator.core.Event;
import io.drover.coordinator.core.Response;
import io.drover.coordinator.core.Scheduler;
import io.drover.coordinator.store.CoordinatorStore;
import io.drover.coordinator.store.Epoch;
import io.drover.coordinator.store.StoreException;
import java.time.Clock;
import java.util.HashMap;
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
 * is acknowledged before it is durable. A failed commit ends this leadership term: the core's
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
    private final Effects effects = new Effects();
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
                    if (env.reply != null) {
                        waiting.put(requestIdOf(env.event), env.reply);
                    }
                    scheduler.apply(env.event, effects);
                    drained++;
                }
                if (System.nanoTime() - nextTick >= 0) {
                    scheduler.apply(new Event.Tick(clock.millis()), effects);
                    nextTick = System.nanoTime() + tickNanos;
                }
                if (!effects.isEmpty()) {
                    flush();
                } else if (drained == 0) {
                    LockSupport.parkNanos(this, Math.max(0, nextTick - System.nanoTime()));
                }
                metrics.eventsHandled(drained);
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

    private void flush() {
        if (!effects.facts().isEmpty()) {
            long start = System.nanoTime();
            store.commit(epoch, effects.facts());
            metrics.committed(effects.facts().size(), System.nanoTime() - start);
            factsSinceCompaction += effects.facts().size();
        }
        for (int i = 0; i < effects.dispatchCount(); i++) {
            metrics.dispatched(effects.dispatchMillis(i));
        }
        for (Effects.Reply r : effects.replies()) {
            CompletableFuture<Response> f = waiting.remove(r.requestId());
            if (f != null) {
                f.complete(r.response());
            }
        }
        effects.clear();
        if (factsSinceCompaction >= compactAfterFacts) {
            // Runs on the core thread: the snapshot must match exactly what has been committed.
            long start = System.nanoTime();
            store.compact(epoch, scheduler.durableSnapshot());
            metrics.compacted(System.nanoTime() - start);
            factsSinceCompaction = 0;
        }
    }

    private static long requestIdOf(Event e) {
        if (e instanceof Event.Heartbeat h) {
            return h.requestId();
        } else if (e instanceof Event.SubmitJob s) {
            return s.requestId();
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
        }
        throw new IllegalArgumentException("event without request id: " + e);
    }

    private void failAll(RuntimeException cause) {
        waiting.values().forEach(f -> f.completeExceptionally(cause));
        waiting.clear();
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
