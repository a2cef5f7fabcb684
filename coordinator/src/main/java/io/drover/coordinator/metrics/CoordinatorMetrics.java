package io.drover.coordinator.metrics;

import io.drover.coordinator.engine.LoopMetrics;
import io.drover.coordinator.leader.LeaderTerm;
import io.drover.coordinator.leader.Leadership;
import io.drover.coordinator.rpc.AuditTrail;
import io.drover.coordinator.rpc.LogRelay;
import io.drover.coordinator.store.StoreException;
import io.drover.coordinator.store.StoreSizes;
import io.drover.coordinator.transport.GuardedSelectorServer;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A coordinator's Prometheus metrics, registered on the process's own registry. Counters the loop,
 * transport, log relay and audit trail keep already are read at scrape time (nothing is counted
 * twice); latencies arrive as the loop measures them ({@link LoopMetrics.Observer}) and go into
 * histograms; the leader's state (tasks queued and running, agents) is sampled from the core once a
 * second at most ({@link CoreSampler}). The scheduling core itself knows nothing of this.
 *
 * <p>Counters count what this process did; after a failover the new leader's counters go on from its
 * own figures, so sum over coordinators ({@code sum(increase(drover_tasks_committed_total[5m]))}).
 */
public final class CoordinatorMetrics implements LoopMetrics.Observer {
    private static final Logger log = LoggerFactory.getLogger(CoordinatorMetrics.class);

    /** What the metrics read; each part belongs to the coordinator's composition root. */
    public record Sources(LoopMetrics loop, Leadership leadership, BooleanSupplier zooKeeperConnected,
                         GuardedSelectorServer transport, LogRelay logs, AuditTrail audit) {
    }

    private final Histogram dispatch;
    private final Histogram commitLatency;
    private final Histogram commitFacts;
    private final Histogram scheduleLateness;

    private CoordinatorMetrics(PrometheusRegistry registry) {
        dispatch = Histogram.builder().name("drover_dispatch_latency_seconds").unit(Unit.SECONDS)
                .help("Time from a task becoming ready to its assignment to an agent")
                .classicUpperBounds(.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60).classicOnly()
                .register(registry);
        commitLatency = Histogram.builder().name("drover_zookeeper_group_commit_seconds").unit(Unit.SECONDS)
                .help("Time for one fenced group commit of facts to ZooKeeper to become durable")
                .classicUpperBounds(.001, .002, .005, .01, .02, .05, .1, .2, .5, 1, 2, 5).classicOnly()
                .register(registry);
        commitFacts = Histogram.builder().name("drover_group_commit_facts")
                .help("Facts written per group commit (batch size)")
                .classicUpperBounds(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000).classicOnly()
                .register(registry);
        scheduleLateness = Histogram.builder().name("drover_schedule_lateness_seconds").unit(Unit.SECONDS)
                .help("Time from a cron schedule's fire time to its run being started")
                .classicUpperBounds(.01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300).classicOnly()
                .register(registry);
    }

    /** Registers every coordinator metric on {@code registry} and starts observing {@code sources.loop()}. */
    public static CoordinatorMetrics register(PrometheusRegistry registry, Sources sources) {
        CoordinatorMetrics m = new CoordinatorMetrics(registry);
        LoopMetrics loop = sources.loop();
        counter(registry, "drover_tasks_committed", "Tasks whose result was committed durably by this coordinator as leader",
                loop::tasksCommitted);
        counter(registry, "drover_tasks_failed", "Tasks that failed for good (attempts exhausted or rejected)", loop::tasksFailed);
        counter(registry, "drover_tasks_retried", "Failed attempts scheduled to run again", loop::tasksRetried);
        counter(registry, "drover_jobs_submitted", "Jobs accepted", loop::jobsAccepted);
        counter(registry, "drover_jobs_ended", "Jobs that reached a terminal state", loop::jobsEnded);
        counter(registry, "drover_core_events", "Events the scheduling core applied", loop::events);
        counter(registry, "drover_group_commits", "Fenced group commits made durable", loop::commits);
        counter(registry, "drover_facts_committed", "Facts written to ZooKeeper", loop::factsCommitted);
        counter(registry, "drover_compactions", "Fact log compactions into a snapshot", loop::compactions);
        counter(registry, "drover_replies_early", "Replies with only work, sent before their turn's group commit",
                loop::repliesEarly);
        counter(registry, "drover_replies_after_commit", "Replies sent once their turn's facts were durable",
                loop::repliesAfterCommit);
        counter(registry, "drover_leadership_gained", "Times this coordinator took over as leader", loop::leadershipsGained);
        counter(registry, "drover_leadership_lost", "Times this coordinator stopped leading", loop::leadershipsLost);
        gauge(registry, "drover_long_polls_parked", "Agent long polls the leader holds open", loop::parkedPolls);

        Leadership leadership = sources.leadership();
        gauge(registry, "drover_leader", "1 while this coordinator leads, else 0",
                () -> leadership.activeTerm().isPresent() ? 1 : 0);
        GaugeWithCallback.builder().name("drover_leader_epoch").help("Epoch of the term this coordinator leads (absent on a standby)")
                .callback(cb -> leadership.activeTerm().ifPresent(t -> cb.call(t.epoch().value()))).register(registry);
        gauge(registry, "drover_zookeeper_connected", "1 while the ZooKeeper session is connected, else 0",
                () -> sources.zooKeeperConnected().getAsBoolean() ? 1 : 0);

        CoreSampler sampler = new CoreSampler(leadership, System::nanoTime);
        sampled(registry, "drover_tasks_queued", "Tasks waiting to run (ready or in retry backoff) in jobs not ended",
                sampler, s -> s.queued());
        sampled(registry, "drover_tasks_running", "Task attempts running on agents", sampler, s -> s.running());
        sampled(registry, "drover_jobs_active", "Jobs not ended", sampler, s -> s.activeJobs());
        GaugeWithCallback.builder().name("drover_heartbeat_age_max_seconds").unit(Unit.SECONDS)
                .help("Longest time any known agent has been silent")
                .callback(cb -> sampler.sample().ifPresent(s -> cb.call(s.oldestHeartbeatAgeMs() / 1000.0)))
                .register(registry);
        GaugeWithCallback.builder().name("drover_agents").help("Agents the leader knows, by state (ALIVE, SUSPECT, LOST, DRAINING) and pool")
                .labelNames("state", "pool")
                .callback(cb -> sampler.sample().ifPresent(s -> s.agents().forEach((g, n) -> cb.call(n, g.state(), g.pool()))))
                .register(registry);
        GaugeWithCallback.builder().name("drover_agent_slots").help("Slots of alive agents, by pool").labelNames("pool")
                .callback(cb -> sampler.sample().ifPresent(s -> s.slots().forEach((pool, n) -> cb.call(n, pool))))
                .register(registry);

        GaugeWithCallback.builder().name("drover_artifact_store_bytes").unit(Unit.BYTES)
                .help("Bytes of complete artifacts in ZooKeeper, as of the leader's latest sweep")
                .callback(cb -> storeSizes(leadership).ifPresent(s -> cb.call(s.completeBytes()))).register(registry);
        GaugeWithCallback.builder().name("drover_fact_log_bytes").unit(Unit.BYTES)
                .help("Bytes of the fact log and its snapshots in ZooKeeper, as of the leader's latest sweep")
                .callback(cb -> storeSizes(leadership).filter(s -> s.factLogBytes() >= 0).ifPresent(s -> cb.call(s.factLogBytes())))
                .register(registry);

        gauge(registry, "drover_rpc_connections", "Open Thrift connections", () -> sources.transport().openConnections());
        gauge(registry, "drover_rpc_read_bytes_held", "Request bytes all connections hold at once",
                () -> sources.transport().readBytesHeld());
        counter(registry, "drover_log_reads_requested", "Task output reads relayed to agents", sources.logs()::requested);
        counter(registry, "drover_log_reads_timed_out", "Relayed task output reads no agent answered in time",
                sources.logs()::timedOut);
        counter(registry, "drover_audit_records_written", "Audit records written", sources.audit()::written);
        counter(registry, "drover_audit_records_lost", "Audit records that could not be written", sources.audit()::lost);
        loop.observe(m);
        return m;
    }

    /** The latest sweep's sizes; none on a standby or a term without housekeeping. */
    private static Optional<StoreSizes> storeSizes(Leadership leadership) {
        Optional<LeaderTerm> term = leadership.activeTerm();
        if (term.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(term.get().sweeper().sizes());
        } catch (StoreException e) {
            log.debug("metrics: no store sizes: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private static void counter(PrometheusRegistry registry, String name, String help, DoubleSupplier value) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }

    private static void gauge(PrometheusRegistry registry, String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }

    private static void sampled(PrometheusRegistry registry, String name, String help, CoreSampler sampler,
                                java.util.function.ToLongFunction<CoreSampler.Sample> value) {
        Consumer<GaugeWithCallback.Callback> callback = cb -> sampler.sample().ifPresent(s -> cb.call(value.applyAsLong(s)));
        GaugeWithCallback.builder().name(name).help(help).callback(callback).register(registry);
    }

    @Override
    public void dispatched(long millis) {
        dispatch.observe(millis / 1000.0);
    }

    @Override
    public void committed(int facts, long nanos) {
        commitLatency.observe(nanos / 1e9);
        commitFacts.observe(facts);
    }

    @Override
    public void scheduleFired(long latenessMs) {
        scheduleLateness.observe(latenessMs / 1000.0);
    }
}
