package io.drover.agent;

import io.drover.agent.workers.WorkerSettings;
import io.drover.protocol.CallDeadlines;
import io.drover.protocol.Endpoint;
import io.drover.agent.contain.ContainmentSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How one agent runs. Validated on construction; each message names the offending field.
 *
 * @param agentId           unique among the coordinator's agents; letters, digits, '.', '_', '-'
 * @param host              this host's name, as shown to operators
 * @param coordinators      coordinator endpoints; the agent follows the leader among them
 * @param slots             how many tasks run at once
 * @param labels            placement labels (e.g. zone=eu-1, gpu=true)
 * @param workDir           artifact cache and task working directories
 * @param pollWait          how long the coordinator may park a poll waiting for work
 * @param reportBatchWindow how long to wait for more results to finish before reporting one. Default 0:
 *                          results that finish while a report is on its way go together in the next
 *                          one anyway, and any wait adds to every short task's turnaround (measured:
 *                          a one-slot agent cycled no-op tasks in 3.3 ms with 0, 4.5 ms with 2 ms)
 * @param workers           how JVM tasks' worker JVMs run (heap, recycling, idle timeout, JVM options)
 * @param limits            task output caps and retention, artifact cache size, kill grace
 * @param queueAhead        tasks the agent accepts beyond its slots, queued to start the moment a slot
 *                          frees: hides the round trip to the coordinator between short tasks. The
 *                          agent registers slots + queueAhead as its capacity; at most {@code slots}
 *                          run at once. 0 for long tasks, where a queued task would only wait; the agent
 *                          command's default is {@link #defaultQueueAhead}.
 * @param containment       how process tasks are kept together (cgroups or tracking) and their memory and pids limits
 * @param deadlines         how long the agent waits for a coordinator's answer before trying the others
 *                          (connect, hello, call; a parked poll gets pollWait plus the park margin).
 *                          Default {@link #DEFAULT_DEADLINES}: a frozen leader is left within seconds.
 */
public record AgentConfig(String agentId, String host, List<Endpoint> coordinators, int slots,
                          Map<String, String> labels, Path workDir, Duration pollWait, Duration reportBatchWindow,
                          WorkerSettings workers, AgentLimits limits, int queueAhead, CallDeadlines deadlines,
                          ContainmentSettings containment) {
    public static final Duration DEFAULT_POLL_WAIT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REPORT_BATCH_WINDOW = Duration.ZERO;
    /** How long one call keeps retrying (leader changes, restarts) before the caller hears of it: 30 s. */
    public static final CallDeadlines DEFAULT_DEADLINES = CallDeadlines.DEFAULTS;
    private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final int MAX_SLOTS = 4096;

    /**
     * The agent command's queue-ahead when none is given: as many as its slots (within the slot limit), so a
     * slot that frees starts its next task at once instead of after a round trip to the coordinator. Measured
     * for issue 15 (README: Benchmark): 400 x {@code sleep 0.1} on 8 slots took 1.9x the ideal makespan with 0,
     * 1.5x with 8 (medians of six runs, alternated on one loaded machine). A queued task of a long job may wait for its slot while
     * another agent idles near the job's end (the coordinator splits the last tasks fairly, so at most a
     * fair share waits, one task length): {@code --queue-ahead 0} for agents that run only long tasks.
     */
    public static int defaultQueueAhead(int slots) {
        return Math.max(0, Math.min(slots, MAX_SLOTS - slots));
    }

    public AgentConfig {
        if (!isValidAgentId(agentId)) {
            throw new IllegalArgumentException("agentId must be 1-128 letters, digits, '.', '_' or '-', was '" + agentId + "'");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (coordinators == null || coordinators.isEmpty()) {
            throw new IllegalArgumentException("coordinators must name at least one endpoint");
        }
        coordinators = List.copyOf(coordinators);
        if (slots < 1 || slots > MAX_SLOTS) {
            throw new IllegalArgumentException("slots must be 1.." + MAX_SLOTS + ", was " + slots);
        }
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        labels.forEach((key, value) -> {
            if (key.isBlank()) {
                throw new IllegalArgumentException("labels must not have a blank key (value '" + value + "')");
            }
        });
        if (workDir == null) {
            throw new IllegalArgumentException("workDir must be set");
        }
        pollWait = pollWait == null ? DEFAULT_POLL_WAIT : pollWait;
        if (pollWait.compareTo(Duration.ofMillis(100)) < 0 || pollWait.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("pollWait must be 100ms..5m, was " + pollWait);
        }
        reportBatchWindow = reportBatchWindow == null ? DEFAULT_REPORT_BATCH_WINDOW : reportBatchWindow;
        if (reportBatchWindow.isNegative() || reportBatchWindow.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("reportBatchWindow must be 0..1s, was " + reportBatchWindow);
        }
        workers = workers == null ? WorkerSettings.defaults() : workers;
        limits = limits == null ? AgentLimits.DEFAULTS : limits;
        if (queueAhead < 0 || slots + queueAhead > MAX_SLOTS) {
            throw new IllegalArgumentException("queueAhead must be 0.." + (MAX_SLOTS - slots) + ", was " + queueAhead);
        }
        deadlines = deadlines == null ? DEFAULT_DEADLINES : deadlines;
        containment = containment == null ? ContainmentSettings.DEFAULTS : containment;
    }

    /** A configuration with the default containment (cgroups where the host offers them, no limits). */
    public AgentConfig(String agentId, String host, List<Endpoint> coordinators, int slots,
                       Map<String, String> labels, Path workDir, Duration pollWait, Duration reportBatchWindow,
                       WorkerSettings workers, AgentLimits limits, int queueAhead, CallDeadlines deadlines) {
        this(agentId, host, coordinators, slots, labels, workDir, pollWait, reportBatchWindow, workers, limits, queueAhead,
                deadlines, null);
    }

    /** A configuration with the default deadlines. */
    public AgentConfig(String agentId, String host, List<Endpoint> coordinators, int slots,
                       Map<String, String> labels, Path workDir, Duration pollWait, Duration reportBatchWindow,
                       WorkerSettings workers, AgentLimits limits, int queueAhead) {
        this(agentId, host, coordinators, slots, labels, workDir, pollWait, reportBatchWindow, workers, limits, queueAhead, null);
    }

    /** A configuration that queues no task ahead. */
    public AgentConfig(String agentId, String host, List<Endpoint> coordinators, int slots,
                       Map<String, String> labels, Path workDir, Duration pollWait, Duration reportBatchWindow,
                       WorkerSettings workers, AgentLimits limits) {
        this(agentId, host, coordinators, slots, labels, workDir, pollWait, reportBatchWindow, workers, limits, 0);
    }

    /** A configuration with default worker settings and limits. */
    public AgentConfig(String agentId, String host, List<Endpoint> coordinators, int slots,
                       Map<String, String> labels, Path workDir, Duration pollWait, Duration reportBatchWindow) {
        this(agentId, host, coordinators, slots, labels, workDir, pollWait, reportBatchWindow, null, null);
    }

    /** A configuration with default limits. */
    public AgentConfig(String agentId, String host, List<Endpoint> coordinators, int slots,
                       Map<String, String> labels, Path workDir, Duration pollWait, Duration reportBatchWindow,
                       WorkerSettings workers) {
        this(agentId, host, coordinators, slots, labels, workDir, pollWait, reportBatchWindow, workers, null);
    }

    /** Whether {@code id} may name an agent: 1-128 letters, digits, '.', '_' or '-'. */
    public static boolean isValidAgentId(String id) {
        return id != null && AGENT_ID.matcher(id).matches();
    }

    /** A configuration with the default poll wait and report batch window. */
    public static AgentConfig of(String agentId, String host, List<Endpoint> coordinators, int slots,
                                 Map<String, String> labels, Path workDir) {
        return new AgentConfig(agentId, host, coordinators, slots, labels, workDir, null, null, null, null);
    }

    public AgentConfig withPollWait(Duration value) {
        return new AgentConfig(agentId, host, coordinators, slots, labels, workDir, value, reportBatchWindow, workers, limits, queueAhead, deadlines, containment);
    }

    public AgentConfig withReportBatchWindow(Duration value) {
        return new AgentConfig(agentId, host, coordinators, slots, labels, workDir, pollWait, value, workers, limits, queueAhead, deadlines, containment);
    }

    public AgentConfig withWorkers(WorkerSettings value) {
        return new AgentConfig(agentId, host, coordinators, slots, labels, workDir, pollWait, reportBatchWindow, value, limits, queueAhead, deadlines, containment);
    }

    public AgentConfig withLimits(AgentLimits value) {
        return new AgentConfig(agentId, host, coordinators, slots, labels, workDir, pollWait, reportBatchWindow, workers, value, queueAhead, deadlines, containment);
    }

    public AgentConfig withQueueAhead(int value) {
        return new AgentConfig(agentId, host, coordinators, slots, labels, workDir, pollWait, reportBatchWindow, workers, limits, value, deadlines, containment);
    }

    public AgentConfig withDeadlines(CallDeadlines value) {
        return new AgentConfig(agentId, host, coordinators, slots, labels, workDir, pollWait, reportBatchWindow, workers, limits, queueAhead, value, containment);
    }

    public AgentConfig withContainment(ContainmentSettings value) {
        return new AgentConfig(agentId, host, coordinators, slots, labels, workDir, pollWait, reportBatchWindow, workers, limits, queueAhead, deadlines, value);
    }

    /** What the agent registers as its slots: tasks it accepts at once, running or queued. */
    public int capacity() {
        return slots + queueAhead;
    }
}
