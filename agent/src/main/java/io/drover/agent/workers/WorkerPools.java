package io.drover.agent.workers;

import io.drover.agent.platform.NamedThreads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warm worker JVMs, one pool per {@link PoolKey} (job artifact and heap size), each worker running
 * one task at a time, with up to {@link WorkerSettings#pipelineDepth} more queued in it.
 *
 * <p>A task takes an idle worker of its pool. When there is none, a pool with no worker at all
 * starts one at once; otherwise the task first waits {@link #GROW_AFTER} for a busy worker to come
 * free (short tasks are served best by few warm workers), and only then starts another. At most
 * {@link #maxConcurrentStarts} start at once per pool, and never more than there are waiting
 * tasks. A new worker serves whichever waiting task comes first. When the agent has as many workers
 * as slots and none is idle, a waiting task is queued in the busy worker of its pool with the fewest
 * tasks in flight (below the depth): it starts there the moment the one before it ends, with no round
 * trip between them. Only tasks beyond the slots queue so (queue-ahead): workers never outnumber slots,
 * and a task never queues behind another while the agent has fewer workers (started or starting) than slots.
 *
 * <p>Workers of all pools together never outnumber the agent's slots: when a pool needs room, the
 * longest-idle worker of another pool is retired. A worker is retired after
 * {@link WorkerSettings#maxTasksPerWorker} tasks or {@link WorkerSettings#idleTimeout} idle, and
 * dropped at once after anything that may have left it unsound (crash, exit, kill, out of memory).
 */
public final class WorkerPools implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerPools.class);
    static final Duration GROW_AFTER = Duration.ofMillis(100);
    /** How long a retired worker gets to exit by itself (its job's shutdown hooks) before it is killed. */
    static final Duration RETIRE_GRACE = Duration.ofSeconds(3);

    private final String agentId;
    private final WorkerSettings settings;
    private final int maxWorkers;
    private final int maxConcurrentStarts;
    private final LongSupplier nanoTime;
    private final WorkerLauncher launcher;
    private final ExecutorService background;
    private final ScheduledExecutorService reaper;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<PoolKey, Pool> pools = new HashMap<>(); // guarded by lock
    private final Set<WorkerProcess> all = new HashSet<>(); // every live worker; guarded by lock
    private int starting; // all pools; guarded by lock
    private final java.util.concurrent.atomic.LongAdder spawned = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder recycled = new java.util.concurrent.atomic.LongAdder();
    private boolean closed; // guarded by lock

    /** The workers of one key. Guarded by {@link #lock}. */
    private static final class Pool {
        final PoolKey key;
        final Deque<WorkerProcess> idle = new ArrayDeque<>(); // most recently used first
        final Set<WorkerProcess> busy = new LinkedHashSet<>(); // leased at least once, not dropped
        int starting;
        int waiting;
        long startFailures;
        String lastStartFailure = "";

        Pool(PoolKey key) {
            this.key = key;
        }

        boolean empty() {
            return idle.isEmpty() && busy.isEmpty() && starting == 0 && waiting == 0;
        }
    }

    /**
     * @param maxWorkers the agent's slots: one task per worker, so more workers would only idle
     * @param dir        where worker logs and JVM crash reports go
     */
    public WorkerPools(String agentId, int maxWorkers, Path dir, WorkerSettings settings, LongSupplier nanoTime) {
        this.agentId = agentId;
        this.settings = settings;
        this.maxWorkers = maxWorkers;
        this.maxConcurrentStarts = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.nanoTime = nanoTime;
        this.launcher = new WorkerLauncher(agentId, dir, settings, this::linkBroke);
        this.background = Executors.newCachedThreadPool(new NamedThreads("drover-" + agentId + "-workers", true));
        this.reaper = Executors.newSingleThreadScheduledExecutor(new NamedThreads("drover-" + agentId + "-worker-reaper", true));
        long period = Math.max(100, settings.idleTimeout().toMillis() / 4);
        reaper.scheduleWithFixedDelay(this::retireIdle, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * A worker of the pool for {@code key}, started if need be (see the class comment).
     *
     * @throws WorkerStartException when the pool has no worker and starting one failed
     * @throws InterruptedException when the task was cancelled while waiting
     */
    public WorkerLease acquire(PoolKey key) throws WorkerStartException, InterruptedException {
        lock.lockInterruptibly();
        try {
            Pool pool = pools.computeIfAbsent(key, Pool::new);
            pool.waiting++;
            try {
                return awaitWorker(pool);
            } finally {
                pool.waiting--;
            }
        } finally {
            lock.unlock();
        }
    }

    private WorkerLease awaitWorker(Pool pool) throws WorkerStartException, InterruptedException {
        long since = nanoTime.getAsLong();
        long failuresSeen = pool.startFailures;
        while (true) {
            if (closed) {
                throw new WorkerStartException("agent " + agentId + " is closing");
            }
            WorkerProcess worker = takeIdle(pool);
            if (worker != null) {
                return lease(pool, worker);
            }
            if (pool.startFailures != failuresSeen && pool.busy.isEmpty() && pool.starting == 0) {
                throw new WorkerStartException(pool.lastStartFailure);
            }
            long waited = nanoTime.getAsLong() - since;
            boolean mayGrow = pool.busy.size() + pool.starting == 0 || waited >= GROW_AFTER.toNanos();
            if (mayGrow && pool.starting < maxConcurrentStarts && pool.starting < pool.waiting && makeRoom(pool)) {
                startWorker(pool);
                continue;
            }
            // Every worker the slots allow is busy: queue behind a busy one rather than wait for it to come free.
            WorkerProcess queueIn = all.size() + starting >= maxWorkers ? withRoom(pool) : null;
            if (queueIn != null) {
                return lease(pool, queueIn);
            }
            changed.awaitNanos(mayGrow ? GROW_AFTER.toNanos() : GROW_AFTER.toNanos() - waited);
        }
    }

    private WorkerLease lease(Pool pool, WorkerProcess worker) {
        worker.leased();
        pool.busy.add(worker);
        return new WorkerLease(this, worker);
    }

    /** The busy pipelined worker of the pool with the fewest tasks in flight below the depth, if any. */
    private WorkerProcess withRoom(Pool pool) {
        WorkerProcess best = null;
        for (WorkerProcess w : pool.busy) {
            if (w.pipelined() && w.leases() < settings.pipelineDepth() && w.tasksRun() < settings.maxTasksPerWorker()
                    && w.usable() && (best == null || w.leases() < best.leases())) {
                best = w;
            }
        }
        return best;
    }

    /** A pipelined worker's link broke: tasks waiting for room look again. */
    private void linkBroke() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The most recently used idle worker that is still sound; dead ones are dropped on the way. */
    private WorkerProcess takeIdle(Pool pool) {
        while (!pool.idle.isEmpty()) {
            WorkerProcess worker = pool.idle.pollFirst();
            if (worker.usable()) {
                return worker;
            }
            log.info("agent {}: {} died while idle; dropping it", agentId, worker);
            dropLocked(worker);
            background.execute(() -> worker.retire(Duration.ZERO));
        }
        return null;
    }

    /** True when one more worker fits, after retiring the longest-idle worker of another pool if need be. */
    private boolean makeRoom(Pool pool) {
        if (all.size() + starting < maxWorkers) {
            return true;
        }
        WorkerProcess oldest = null;
        for (Pool other : pools.values()) {
            WorkerProcess candidate = other == pool ? null : other.idle.peekLast();
            if (candidate != null && (oldest == null || candidate.idleSinceNanos() < oldest.idleSinceNanos())) {
                oldest = candidate;
            }
        }
        if (oldest == null) {
            return false; // every worker is busy or starting: one comes free soon
        }
        pools.get(oldest.key).idle.remove(oldest); // oldest came from a pool in the map
        log.debug("agent {}: retiring idle {} to make room for {}", agentId, oldest, pool.key);
        retireLater(oldest);
        return true;
    }

    private void startWorker(Pool pool) {
        starting++;
        pool.starting++;
        background.execute(() -> {
            WorkerProcess worker = null;
            String failure = null;
            try {
                worker = launcher.start(pool.key);
            } catch (WorkerStartException e) {
                failure = e.getMessage();
            } catch (InterruptedException e) {
                failure = "interrupted while starting";
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.error("agent {}: starting a worker for {} failed", agentId, pool.key, e);
                failure = "starting a worker JVM failed: " + e;
            }
            started(pool, worker, failure);
        });
    }

    private void started(Pool pool, WorkerProcess worker, String failure) {
        boolean retire = false;
        lock.lock();
        try {
            starting--;
            pool.starting--;
            if (worker == null) {
                pool.startFailures++;
                pool.lastStartFailure = "agent " + agentId + " could not start a worker JVM: " + failure;
                log.warn("{}", pool.lastStartFailure);
            } else if (closed) {
                retire = true;
            } else {
                spawned.increment();
                all.add(worker);
                worker.idleSince(nanoTime.getAsLong());
                pool.idle.addFirst(worker);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (retire) {
            worker.retire(Duration.ZERO);
        }
    }

    void release(WorkerProcess worker) {
        lock.lock();
        try {
            Pool pool = leaseEnded(worker);
            if (pool == null || worker.dropped() || !worker.usable()) {
                dropLocked(worker);
                // Another lease on it may be saying how it died, or stopping it: the last one out stops it.
                if (worker.leases() == 0 && worker.stop()) {
                    background.execute(() -> worker.retire(Duration.ZERO));
                }
            } else if (worker.leases() > 0) {
                // still busy with the attempts queued in it
            } else if (worker.tasksRun() >= settings.maxTasksPerWorker()) {
                log.debug("agent {}: recycling {} after {} tasks", agentId, worker, worker.tasksRun());
                recycled.increment();
                retireLater(worker);
            } else {
                worker.idleSince(nanoTime.getAsLong());
                pool.idle.addFirst(worker);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A leased worker leaves for good: killed now on the calling thread, or retired in the background. */
    void discard(WorkerProcess worker, String reason, boolean kill) {
        lock.lock();
        try {
            leaseEnded(worker);
            dropLocked(worker);
            worker.stop();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        log.info("agent {}: {} {}: {}", agentId, kill ? "killing" : "retiring", worker, reason);
        if (!kill) {
            background.execute(() -> worker.retire(RETIRE_GRACE));
            return;
        }
        try {
            worker.kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the kill was sent; only the wait for it was cut short
        }
    }

    /** A leased worker died on its own: no other lease stops it while {@link WorkerProcess#end} waits for it. */
    void dying(WorkerProcess worker) {
        lock.lock();
        try {
            dropLocked(worker);
            worker.stop();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A leased worker died on its own; it is gone already. */
    void forgetDead(WorkerProcess worker) {
        lock.lock();
        try {
            leaseEnded(worker);
            dropLocked(worker);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The worker's pool with the lease counted out; null once the pools are closed. */
    private Pool leaseEnded(WorkerProcess worker) {
        Pool pool = closed ? null : pools.get(worker.key);
        if (worker.unleased() == 0 && pool != null) {
            pool.busy.remove(worker);
        }
        return pool;
    }

    /** Counts a worker out for good (no new lease); the caller has taken it off its pool's idle list and stops it. */
    private void dropLocked(WorkerProcess worker) {
        all.remove(worker);
        worker.markDropped();
        Pool pool = pools.get(worker.key);
        if (pool != null) {
            pool.busy.remove(worker);
        }
    }

    private void retireLater(WorkerProcess worker) {
        dropLocked(worker);
        background.execute(() -> worker.retire(RETIRE_GRACE));
    }

    /** Retires workers idle longer than the idle timeout, and forgets pools left empty. */
    private void retireIdle() {
        long now = nanoTime.getAsLong();
        long limit = settings.idleTimeout().toNanos();
        List<WorkerProcess> expired = new ArrayList<>();
        lock.lock();
        try {
            for (Iterator<Pool> it = pools.values().iterator(); it.hasNext(); ) {
                Pool pool = it.next();
                while (!pool.idle.isEmpty() && now - pool.idle.peekLast().idleSinceNanos() >= limit) {
                    WorkerProcess worker = pool.idle.pollLast();
                    dropLocked(worker);
                    expired.add(worker);
                }
                if (pool.empty()) {
                    it.remove();
                }
            }
            if (!expired.isEmpty()) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        for (WorkerProcess worker : expired) {
            log.debug("agent {}: {} idle for {} s; retiring it", agentId, worker, settings.idleTimeout().toSeconds());
            worker.retire(RETIRE_GRACE);
        }
    }

    /** Workers alive now (started, not yet dropped), for logs and tests. */
    /** Worker JVMs started (and ready) since the agent started; for metrics. */
    public long workersSpawned() {
        return spawned.sum();
    }

    /** Worker JVMs retired because they had run their maximum of tasks; for metrics. */
    public long workersRecycled() {
        return recycled.sum();
    }

    /** Attempts sent to a worker and waiting there behind another (several in flight per worker); for metrics. */
    public int tasksQueuedInWorkers() {
        lock.lock();
        try {
            int queued = 0;
            for (Pool pool : pools.values()) {
                for (WorkerProcess w : pool.busy) {
                    queued += Math.max(0, w.leases() - 1);
                }
            }
            return queued;
        } finally {
            lock.unlock();
        }
    }

    public int liveWorkers() {
        lock.lock();
        try {
            return all.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops every worker: idle ones are asked to exit, any still leased (their task threads did not
     * stop them) are killed. Waits a bounded time, so no worker outlives a closed agent.
     */
    @Override
    public void close() {
        List<WorkerProcess> workers;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            workers = new ArrayList<>(all);
            all.clear();
            pools.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        reaper.shutdownNow();
        launcher.close();
        List<java.util.concurrent.Future<?>> stops = new ArrayList<>();
        for (WorkerProcess worker : workers) {
            stops.add(background.submit(() -> worker.retire(Duration.ofSeconds(1))));
        }
        long deadline = nanoTime.getAsLong() + RETIRE_GRACE.plus(WorkerProcess.KILL_WAIT).toNanos();
        for (java.util.concurrent.Future<?> stop : stops) {
            try {
                stop.get(Math.max(0, deadline - nanoTime.getAsLong()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                log.warn("agent {}: stopping a worker: {}", agentId, e.toString());
            }
        }
        background.shutdownNow();
    }
}
