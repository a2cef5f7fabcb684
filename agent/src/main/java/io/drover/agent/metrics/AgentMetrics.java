package io.drover.agent.metrics;

import io.drover.agent.artifact.ArtifactCache;
import io.drover.agent.exec.ProcessTaskExecutor;
import io.drover.agent.exec.TaskCounts;
import io.drover.agent.heartbeat.Heartbeats;
import io.drover.agent.heartbeat.OfflineStop;
import io.drover.agent.heartbeat.RoundTrips;
import io.drover.agent.workers.WorkerPools;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.SummaryWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * An agent's Prometheus metrics, registered on the process's own registry. Every figure is a counter
 * or state the agent's parts keep anyway, read at scrape time: nothing here runs on the task path.
 */
public final class AgentMetrics {
    /** What the metrics read; each part belongs to the agent's composition root. */
    public record Sources(Supplier<TaskCounts> tasks, IntSupplier running, int slots, IntSupplier unacknowledged,
                          WorkerPools workers, ProcessTaskExecutor processes, ArtifactCache artifacts, Heartbeats heartbeats,
                          OfflineStop offline) {
    }

    private AgentMetrics() {
    }

    public static void register(PrometheusRegistry registry, Sources s) {
        counter(registry, "drover_agent_tasks_started", "Task attempts this agent started", () -> s.tasks().get().started());
        CounterWithCallback.builder().name("drover_agent_tasks_finished")
                .help("Task attempts this agent finished, by outcome").labelNames("outcome")
                .callback(cb -> {
                    TaskCounts c = s.tasks().get();
                    cb.call(c.succeeded(), "succeeded");
                    cb.call(c.failed(), "failed");
                    cb.call(c.timedOut(), "timed_out");
                    cb.call(c.cancelled(), "cancelled");
                    cb.call(c.rejected(), "rejected");
                }).register(registry);
        gauge(registry, "drover_agent_tasks_running", "Task attempts running now", () -> s.running().getAsInt());
        gauge(registry, "drover_agent_slots", "Slots this agent offers", () -> s.slots());
        gauge(registry, "drover_agent_results_unacknowledged", "Finished attempts the coordinator has not acknowledged yet",
                () -> s.unacknowledged().getAsInt());
        gauge(registry, "drover_agent_worker_jvms", "Worker JVMs alive now", () -> s.workers().liveWorkers());
        gauge(registry, "drover_agent_worker_tasks_queued", "Attempts sent to a worker JVM and queued there behind another",
                () -> s.workers().tasksQueuedInWorkers());
        counter(registry, "drover_agent_worker_jvms_spawned", "Worker JVMs started", () -> s.workers().workersSpawned());
        counter(registry, "drover_agent_worker_jvms_recycled", "Worker JVMs retired after their maximum of tasks",
                () -> s.workers().workersRecycled());
        counter(registry, "drover_agent_processes_spawned", "Processes started for process jobs",
                () -> s.processes().processesSpawned());
        GaugeWithCallback.builder().name("drover_agent_containment")
                .help("1, labelled with how process tasks are contained: cgroup or tracked").labelNames("mechanism")
                .callback(cb -> cb.call(1, s.processes().containmentMechanism())).register(registry);
        GaugeWithCallback.builder().name("drover_agent_launcher")
                .help("1, labelled with how process tasks start now: native (drover-launch) or jdk").labelNames("launcher")
                .callback(cb -> cb.call(1, s.processes().launcherInUse())).register(registry);
        GaugeWithCallback.builder().name("drover_agent_artifact_cache_bytes").unit(Unit.BYTES)
                .help("Bytes of job jars in the artifact cache")
                .callback(cb -> cb.call(s.artifacts().cachedBytes())).register(registry);
        counter(registry, "drover_agent_artifact_cache_hits", "Jar loads served from the cache", () -> s.artifacts().hits());
        counter(registry, "drover_agent_artifact_cache_misses", "Jar loads that downloaded the jar", () -> s.artifacts().misses());
        counter(registry, "drover_agent_artifact_cache_evictions", "Jars deleted to keep the cache within its bound",
                () -> s.artifacts().evictions());
        RoundTrips trips = s.heartbeats().roundTrips();
        SummaryWithCallback.builder().name("drover_agent_report_round_trip_seconds").unit(Unit.SECONDS)
                .help("Round trips of heartbeats that report results (never parked: network, TLS and the leader's commit)")
                .callback(cb -> cb.call(trips.count(), trips.totalNanos() / 1e9, Quantiles.EMPTY)).register(registry);
        GaugeWithCallback.builder().name("drover_agent_report_round_trip_last_seconds").unit(Unit.SECONDS)
                .help("The latest result report's round trip")
                .callback(cb -> {
                    long last = trips.lastNanos();
                    if (last >= 0) {
                        cb.call(last / 1e9);
                    }
                }).register(registry);
        gauge(registry, "drover_agent_registered", "1 while registered with a coordinator, else 0",
                () -> s.heartbeats().registered() ? 1 : 0);
        gauge(registry, "drover_agent_draining", "1 while draining, else 0", () -> s.heartbeats().draining() ? 1 : 0);
        GaugeWithCallback.builder().name("drover_agent_coordinator_silence_seconds").unit(Unit.SECONDS)
                .help("Time since the last answer from a coordinator")
                .callback(cb -> cb.call(s.offline().silentMs() / 1000.0)).register(registry);
    }

    private static void counter(PrometheusRegistry registry, String name, String help, DoubleSupplier value) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }

    private static void gauge(PrometheusRegistry registry, String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }
}
