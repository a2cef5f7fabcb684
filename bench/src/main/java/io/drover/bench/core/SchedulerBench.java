package io.drover.bench.core;

import io.drover.coordinator.core.Effects;
import io.drover.coordinator.core.Event;
import io.drover.coordinator.core.JobDefinition;
import io.drover.coordinator.core.Response;
import io.drover.coordinator.core.Scheduler;
import io.drover.coordinator.core.SchedulerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pure scheduling core's own ceiling: one {@link Scheduler} on one thread, no ZooKeeper, no
 * Thrift, no threads. Each operation is one agent's heartbeat carrying the results of everything
 * it was given last time (all succeeded) and taking new assignments, as a busy agent's long poll
 * does; agents take turns. A job of {@code shards} no-op shards is submitted again as soon as the
 * previous one is fully handed out, so the queue never runs dry (submits are in the figure).
 * A tick every round of agents keeps liveness and parking honest. The facts the core asks to
 * persist are produced and dropped: the store is what {@code drover bench} measures.
 *
 * <p>Primary result: heartbeats (events) per second; the {@code tasks} counter: results committed per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:+UseParallelGC"})
public class SchedulerBench {
    private static final byte[] EMPTY = new byte[0];

    /** Slots per agent: tasks each heartbeat reports and takes. */
    @Param({"64"})
    public int slots;

    @Param({"16"})
    public int agents;

    @Param({"100000"})
    public int shards;

    private Scheduler core;
    private final Effects out = new Effects();
    private long now = 1_000;
    private long requestId;
    private String[] agentIds;
    private List<List<Event.Report>> reports;
    private int nextAgent;
    private long handedOut;
    private int jobs;

    /** Results committed, reported by JMH per second next to the heartbeats. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long tasks;
    }

    @Setup(Level.Trial)
    public void setUp() {
        // retainFinishedJobs 2: finished 100k-task jobs do not pile up in memory over the run.
        SchedulerConfig config = new SchedulerConfig(3_000, 10_000, 0, 100, 1_000, 2, 1_000);
        core = new Scheduler(config, 1, List.of(), now, out);
        agentIds = new String[agents];
        reports = new ArrayList<>(agents);
        for (int i = 0; i < agents; i++) {
            agentIds[i] = "agent-" + i;
            core.apply(new Event.RegisterAgent(++requestId, now, agentIds[i], "host-" + i, slots, Map.of()), out);
            reports.add(List.of());
        }
        submit();
        out.clear();
    }

    private void submit() {
        JobDefinition job = new JobDefinition("pending", "bench-core", "bench", "key-" + (++jobs), "JVM",
                "0".repeat(64), 1, "io.drover.examples.NoOp", List.of(), shards, List.of(), List.of(), 1, 3, 0,
                false, 0, Map.of(), 0, 0);
        core.apply(new Event.SubmitJob(++requestId, now, job), out);
    }

    @Benchmark
    public int heartbeat(Counters counters) {
        int a = nextAgent;
        nextAgent = (a + 1) % agents;
        out.clear();
        if (a == 0) {
            now++;
            core.apply(new Event.Tick(now), out);
        }
        List<Event.Report> results = reports.get(a);
        long id = ++requestId;
        core.apply(new Event.Heartbeat(id, now, agentIds[a], results, List.of(), false, 0), out);
        counters.tasks += results.size();
        Response.HeartbeatAnswer answer = answerTo(id);
        List<Event.Report> next = new ArrayList<>(answer.assignments().size());
        for (Response.Assignment given : answer.assignments()) {
            next.add(new Event.Report(given.attemptId(), given.jobId(), given.task(), Event.Outcome.SUCCEEDED, EMPTY, null));
        }
        reports.set(a, next);
        handedOut += next.size();
        if (handedOut >= (long) jobs * shards) {
            submit();
        }
        return out.facts().size();
    }

    private Response.HeartbeatAnswer answerTo(long id) {
        for (Effects.Reply r : out.replies()) {
            if (r.requestId() == id) {
                return (Response.HeartbeatAnswer) r.response();
            }
        }
        throw new IllegalStateException("heartbeat " + id + " was not answered (parked or refused)");
    }
}
