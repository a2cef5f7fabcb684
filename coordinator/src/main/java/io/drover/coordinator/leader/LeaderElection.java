package io.drover.coordinator.leader;

import io.drover.coordinator.core.Effects;
import io.drover.coordinator.core.RecoveredState;
import io.drover.coordinator.core.Scheduler;
import io.drover.coordinator.core.SchedulerConfig;
import io.drover.coordinator.engine.CoreLoop;
import io.drover.coordinator.engine.LoopMetrics;
import io.drover.coordinator.schedule.TriggerEngine;
import io.drover.coordinator.store.CoordinatorStore;
import io.drover.coordinator.store.Epoch;
import io.drover.coordinator.store.StoreException;
import io.drover.coordinator.sweep.StoreSweeper;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Curator leader latch plus the one place where leader-only services start and stop.
 *
 * <p>On gaining leadership: take a new epoch (compare-and-set), load the durable facts, build a
 * fresh {@link Scheduler}, write any facts recovery produced, then start the core loop and serve.
 * On losing it (latch callback, ZooKeeper SUSPENDED/LOST, or a fenced write): stop the loop at
 * once. A latch alone does not fence — a deposed leader may not know yet — which is why every
 * write checks the epoch. After a fenced write the latch is recreated so this process can stand
 * again as a candidate.
 */
public final class LeaderElection implements Leadership, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

    private final CuratorFramework zk;
    private final String latchPath;
    private final String endpoint;
    private final CoordinatorStore store;
    private final SchedulerConfig config;
    private final Clock clock;
    private final long tickMillis;
    private final long compactAfterFacts;
    private final LoopMetrics metrics;
    private final TriggerEngine.Factory triggerEngines;
    private final StoreSweeper.Factory sweepers;
    private final ExecutorService transitions = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "drover-leadership");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<LeaderTerm> term = new AtomicReference<>();
    private volatile LeaderLatch latch;
    private volatile boolean closed;
    private final LeadershipHistory history;

    public LeaderElection(CuratorFramework zk, String root, String endpoint, CoordinatorStore store,
                          SchedulerConfig config, Clock clock, long tickMillis, long compactAfterFacts,
                          LoopMetrics metrics, TriggerEngine.Factory triggerEngines) {
        this(zk, root, endpoint, store, config, clock, tickMillis, compactAfterFacts, metrics, triggerEngines,
                (name, loop, epoch) -> StoreSweeper.none());
    }

    /** With the store's housekeeping started per term, like the trigger engine. */
    public LeaderElection(CuratorFramework zk, String root, String endpoint, CoordinatorStore store,
                          SchedulerConfig config, Clock clock, long tickMillis, long compactAfterFacts,
                          LoopMetrics metrics, TriggerEngine.Factory triggerEngines, StoreSweeper.Factory sweepers) {
        this.sweepers = sweepers;
        this.compactAfterFacts = compactAfterFacts;
        this.zk = zk;
        this.latchPath = root + "/leader";
        this.endpoint = endpoint;
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.tickMillis = tickMillis;
        this.metrics = metrics;
        this.triggerEngines = triggerEngines;
        this.history = new LeadershipHistory(clock, 16);
    }

    public void start() {
        joinElection();
    }

    private void joinElection() {
        LeaderLatch l = new LeaderLatch(zk, latchPath, endpoint);
        l.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                transitions.execute(() -> takeOver(l));
            }

            @Override
            public void notLeader() {
                transitions.execute(() -> stepDown("lost the leader latch"));
            }
        });
        latch = l;
        try {
            l.start();
        } catch (Exception e) {
            throw new StoreException("cannot join leader election at " + latchPath, e);
        }
    }

    private void takeOver(LeaderLatch l) {
        if (closed || l != latch || !l.hasLeadership()) {
            return;
        }
        long started = System.nanoTime();
        try {
            Epoch epoch = store.acquireEpoch();
            RecoveredState recovered = store.loadState();
            long loaded = System.nanoTime();
            Effects effects = new Effects();
            Scheduler scheduler = new Scheduler(config, epoch.value(), recovered, clock.millis(), effects);
            long rebuilt = System.nanoTime();
            store.commit(epoch, effects.facts());
            CoreLoop loop = new CoreLoop(scheduler, store, epoch, clock, tickMillis, compactAfterFacts, metrics,
                    this::onStoreFailure);
            loop.start();
            // Cron triggers live exactly as long as this term: armed from the core's schedules.
            TriggerEngine triggers = triggerEngines.start(endpoint + "-epoch-" + epoch.value(), loop);
            // So is the sweep of abandoned uploads and unreferenced artifacts: only a leader deletes.
            StoreSweeper sweeper = sweepers.start(endpoint + "-epoch-" + epoch.value(), loop, epoch);
            term.set(new LeaderTerm(epoch, loop, store.artifacts(), triggers, sweeper, store.resultBlobs()));
            metrics.leadershipGained();
            history.record(epoch.value(), true, "won the leader latch");
            // The parts of a takeover, so an operator sees which one a failover waited for.
            log.info("LEADER: {} leads epoch {} with {} jobs and {} agents recovered (took {} ms: epoch and facts {} ms, "
                            + "core rebuilt {} ms, services {} ms)", endpoint, epoch.value(), recovered.jobs().size(),
                    recovered.agents().size(), millis(System.nanoTime() - started), millis(loaded - started),
                    millis(rebuilt - loaded), millis(System.nanoTime() - rebuilt));
        } catch (StoreException e) {
            log.error("could not take over as leader: {}; rejoining the election", e.getMessage());
            transitions.execute(this::rejoin);
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private void onStoreFailure(StoreException e) {
        transitions.execute(() -> {
            stepDown("store write failed: " + e.getMessage());
            rejoin();
        });
    }

    private void stepDown(String why) {
        LeaderTerm t = term.getAndSet(null);
        if (t != null) {
            if (closed) {
                log.info("{} stops leading epoch {}: {}", endpoint, t.epoch().value(), why);
            } else {
                log.warn("STANDBY: {} stops leading epoch {}: {}", endpoint, t.epoch().value(), why);
            }
            metrics.leadershipLost();
            history.record(t.epoch().value(), false, why);
            t.sweeper().close();
            t.triggers().close();
            t.loop().close();
        }
    }

    private void rejoin() {
        if (closed) {
            return;
        }
        LeaderLatch old = latch;
        try {
            old.close();
        } catch (IOException | IllegalStateException e) {
            log.debug("closing the old latch: {}", e.toString());
        }
        joinElection();
    }

    @Override
    public Optional<LeaderTerm> activeTerm() {
        return Optional.ofNullable(term.get());
    }

    @Override
    public Optional<String> leaderHint() {
        try {
            Participant p = latch.getLeader();
            return p.isLeader() && !p.getId().isEmpty() ? Optional.of(p.getId()) : Optional.empty();
        } catch (Exception e) {
            log.debug("leader lookup failed: {}", e.toString());
            return Optional.empty();
        }
    }

    @Override
    public String coordinatorId() {
        return endpoint;
    }

    /** When this coordinator last gained and lost leadership (bounded, this process only). */
    public LeadershipHistory history() {
        return history;
    }

    /**
     * The ids ("host:port") of every coordinator in the election, this one included, leader first when
     * known; empty (not an empty list) when ZooKeeper cannot be asked now.
     */
    public Optional<java.util.List<String>> participants() {
        try {
            java.util.List<String> ids = new java.util.ArrayList<>();
            for (Participant p : latch.getParticipants()) {
                if (p.isLeader()) {
                    ids.add(0, p.getId());
                } else {
                    ids.add(p.getId());
                }
            }
            return Optional.of(ids);
        } catch (Exception e) {
            log.debug("participant lookup failed: {}", e.toString());
            return Optional.empty();
        }
    }

    public boolean isLeader() {
        return term.get() != null;
    }

    @Override
    public void close() {
        closed = true;
        try {
            transitions.submit(() -> stepDown("shutting down")).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("step-down on close did not finish cleanly: {}", e.toString());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            latch.close();
        } catch (IOException | IllegalStateException e) {
            log.debug("closing latch: {}", e.toString());
        }
        transitions.shutdownNow();
    }
}
