package io.drover.agent;

import io.drover.agent.platform.PrivateFiles;
import io.drover.agent.artifact.ArtifactCache;
import io.drover.agent.exec.InAgentJvmExecutor;
import io.drover.agent.exec.JvmTaskRouter;
import io.drover.agent.exec.ProcessTaskExecutor;
import io.drover.agent.launch.NativeLauncher;
import io.drover.agent.exec.ResultFiles;
import io.drover.agent.contain.Containment;
import io.drover.agent.contain.Containments;
import io.drover.agent.exec.TaskCounts;
import io.drover.agent.exec.TaskExecutor;
import io.drover.agent.exec.TaskSupervisor;
import io.drover.agent.exec.WorkerTaskExecutor;
import io.drover.agent.heartbeat.Heartbeats;
import io.drover.agent.heartbeat.OfflineStop;
import io.drover.agent.heartbeat.Outbox;
import io.drover.agent.heartbeat.Registrar;
import io.drover.agent.journal.FileResultJournal;
import io.drover.agent.journal.ResultJournal;
import io.drover.agent.link.AgentIdentity;
import io.drover.agent.link.CoordinatorLink;
import io.drover.agent.link.JobCatalog;
import io.drover.agent.link.ThriftCoordinatorLink;
import io.drover.agent.platform.MachineMemory;
import io.drover.agent.platform.NamedThreads;
import io.drover.agent.logs.LogAnswers;
import io.drover.agent.logs.LogReader;
import io.drover.agent.logs.LogRetention;
import io.drover.agent.logs.TaskOutputs;
import io.drover.agent.task.JobDescription.JobKind;
import io.drover.agent.workers.WorkerPools;
import io.drover.sdk.DroverRelease;
import io.drover.protocol.CoordinatorConnection;
import io.drover.protocol.EndpointMemory;
import io.drover.protocol.tls.ClientSecurity;
import io.drover.protocol.CoordinatorService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Drover agent: registers with the leading coordinator, long-polls it for work, runs tasks in
 * its slots and reports results as soon as they finish. This class is the composition root: it
 * builds every part by constructor and owns their lifecycle.
 *
 * <p>Lifecycle LATENT → STARTED → CLOSED, by compare-and-set; {@link #start} happens at most once
 * and {@link #close} may be called from any thread (typically a shutdown hook), any number of times.
 * See {@code agent/README.md} for the threads and the flow.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    private static final Duration FLUSH_GRACE = Duration.ofSeconds(3);
    private static final int CACHED_JOBS = 1024;
    /** How often log retention looks at the task output kept (it also runs at start). */
    static final Duration RETENTION_INTERVAL = Duration.ofMinutes(1);

    private enum State { LATENT, STARTED, CLOSED }

    private final AgentConfig config;
    private final ClientSecurity security;
    /** The work dir's instance token, sent with the registration and every heartbeat. */
    private final String instanceId;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final CoordinatorLink fetchLink;
    private final CoordinatorLink blobLink;
    private final Registrar registrar;
    private final ResultJournal journal;
    private final Map<JobKind, TaskExecutor> executors;
    private final TaskSupervisor supervisor;
    private final Heartbeats heartbeats;
    private final OfflineStop offline;
    private final CoordinatorLink logsLink;
    /** What the links learn about the coordinators (a frozen leader, an old release), shared among them. */
    private final EndpointMemory endpointMemory;
    private final LogAnswers logAnswers;
    private final LogRetention retention;
    private final ScheduledExecutorService retentionTimer;
    private final ArtifactCache artifacts;
    private final WorkerPools workers;
    private final ProcessTaskExecutor processes;

    /**
     * An agent with its result journal on disk under {@code <workDir>/journal}: results it finished
     * and the coordinator has not acknowledged are loaded from there and delivered after registering.
     *
     * @throws UncheckedIOException when the journal cannot be opened (unwritable work dir, another
     *                              agent using it, unreadable journal); the message says which
     */
    public Agent(AgentConfig config) {
        this(config, Clock.systemUTC(), openJournal(config));
    }

    /** An agent with the given journal (tests use an in-memory one); the agent closes it. */
    public Agent(AgentConfig config, Clock clock, ResultJournal journal) {
        this(config, clock, journal, ClientSecurity.insecure());
    }

    /**
     * An agent whose connections are secured as {@code security} says: its TLS settings are read
     * for each new socket, so a renewed certificate is used from the next connection on.
     */
    public Agent(AgentConfig config, ClientSecurity security) {
        this(config, Clock.systemUTC(), openJournal(config), security);
    }

    public Agent(AgentConfig config, Clock clock, ResultJournal journal, ClientSecurity security) {
        this.config = config;
        this.security = java.util.Objects.requireNonNull(security, "security");
        String id = config.agentId();
        this.instanceId = AgentIdFile.instanceId(config.workDir(), config.host());
        // First: it may refuse to start (limits asked that nothing here can enforce) before any link is open.
        Containment containment = Containments.choose(config.containment(), id, config.workDir());
        // One connection per concern: a parked poll or a large download never delays a result. Each
        // call has its own deadline (config.deadlines()), so a frozen leader is left within seconds.
        this.endpointMemory = new EndpointMemory("drover-" + id + "-leader-probe");
        CoordinatorLink pollLink = link("poll");
        CoordinatorLink reportLink = link("report");
        this.fetchLink = link("fetch");
        this.logsLink = link("logs");
        this.blobLink = link("blobs"); // large results up and reduce inputs down, off the artifact downloads
        this.artifacts = new ArtifactCache(config.workDir().resolve("artifacts"), fetchLink,
                config.limits().artifactCacheBytes());
        this.registrar = new Registrar(new AgentIdentity(id, config.host(), config.capacity(), config.labels(), softwareVersion(),
                instanceId, List.of(), MachineMemory.totalMb()),
                () -> artifacts.recentHashes(AgentIdentity.MAX_CACHED_ARTIFACTS));
        this.journal = journal;
        Outbox outbox = new Outbox(journal);
        TaskOutputs outputs = new TaskOutputs(config.workDir().resolve("tasks"), config.limits().logCapBytes());
        this.workers = new WorkerPools(id, config.slots(), config.workDir().resolve("workers"), config.workers(),
                System::nanoTime);
        // Every isolation stores results over the inline limit the same way, up to the same cap, and reads
        // the results of upstream jobs kept as blobs from one cache.
        ResultFiles results = new ResultFiles(blobLink, config.limits().inlineResultBytes(), config.limits().maxResultBytes(),
                config.workDir().resolve("upstream-results"));
        this.executors = Map.of(
                JobKind.JVM, new JvmTaskRouter(
                        new WorkerTaskExecutor(artifacts, workers, config.workers(), outputs.tasksDir(), outputs.capBytes(),
                                results),
                        new InAgentJvmExecutor(artifacts, outputs.tasksDir(), results)),
                JobKind.PROCESS, this.processes = new ProcessTaskExecutor(outputs, containment,
                        config.limits().killGrace(), id, results, NativeLauncher.choose(config.containment().launcher(), id)));
        this.supervisor = new TaskSupervisor(id, config.slots(), config.queueAhead(), new JobCatalog(fetchLink, CACHED_JOBS),
                executors, outbox, clock);
        this.offline = new OfflineStop(id, config.workDir(), clock, supervisor::stopRunning);
        this.logAnswers = new LogAnswers(id, new LogReader(outputs, supervisor::runs), piece -> logsLink.deliverLog(id, piece));
        this.retention = new LogRetention(outputs, config.limits().logRetainBytes(), config.limits().logRetainAge(), clock,
                supervisor::running);
        this.retentionTimer = Executors.newSingleThreadScheduledExecutor(new NamedThreads("drover-" + id + "-retention", true));
        this.heartbeats = new Heartbeats(id, pollLink, reportLink, registrar, supervisor, outbox,
                config.pollWait(), config.reportBatchWindow(), offline, logAnswers::answer);
    }

    /**
     * Starts polling for work in the background; returns at once, even if no coordinator is
     * reachable yet (the agent keeps trying). Stores the agent id in the work dir first, so a
     * restart without {@code --id} comes back as the same agent.
     *
     * @throws IllegalStateException when started before or already closed
     * @throws UncheckedIOException  when the work directory cannot be set up (the agent is closed then)
     */
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("agent " + config.agentId() + " is " + state.get() + "; it can start only once");
        }
        try {
            PrivateFiles.workDir(config.workDir());
            AgentIdFile.write(config.workDir(), config.agentId());
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("agent " + config.agentId() + " cannot set up work dir " + config.workDir()
                    + ": " + e, e);
        }
        heartbeats.start();
        retentionTimer.scheduleWithFixedDelay(this::applyRetention, 0, RETENTION_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        log.debug("agent {} started: coordinators {}, {} slots, labels {}, work dir {}", config.agentId(),
                config.coordinators(), config.slots(), config.labels(), config.workDir().toAbsolutePath());
    }

    /** Waits until the agent has registered with a coordinator; false if {@code timeout} passed first. */
    public boolean awaitRegistered(Duration timeout) throws InterruptedException {
        return registrar.awaitFirstRegistration(timeout);
    }

    /** The coordinator the agent last registered with, "host:port". */
    public Optional<String> coordinator() {
        return registrar.endpoint();
    }

    public AgentConfig config() {
        return config;
    }

    /** The pool's offline stop bound as last told by a coordinator; zero: tasks keep running through any outage. */
    public Duration offlineStopBound() {
        return offline.bound();
    }

    /** Registers this agent's metrics on {@code registry} (the process's own; never Prometheus' global default). */
    public void registerMetrics(io.prometheus.metrics.model.registry.PrometheusRegistry registry) {
        io.drover.agent.metrics.AgentMetrics.register(registry, new io.drover.agent.metrics.AgentMetrics.Sources(
                supervisor::counts, this::runningTasks, config.slots(), this::pendingResults, workers, processes, artifacts,
                heartbeats, offline));
    }

    /** Whether the agent is registered with a coordinator now (its readiness). */
    public boolean registered() {
        return heartbeats.registered();
    }

    public TaskCounts taskCounts() {
        return supervisor.counts();
    }

    /**
     * Drains the agent ({@code true}) or ends draining: every heartbeat carries the flag, and while it
     * is set the coordinator sends no new work; running tasks finish and their results are delivered.
     * The change reaches the coordinator at once. For upgrades: drain, wait until
     * {@link #runningTasks()} and {@link #pendingResults()} are 0, then close.
     */
    public void drain(boolean value) {
        heartbeats.drain(value);
    }

    public boolean draining() {
        return heartbeats.draining();
    }

    /** Finished attempts whose results the coordinator has not acknowledged yet. */
    public int pendingResults() {
        return journal.size();
    }

    /** Attempts accepted and not yet finished. */
    /** Attempts queued in worker JVMs behind the one each runs (see {@code --worker-pipeline}). */
    public int workerTasksQueued() {
        return workers.tasksQueuedInWorkers();
    }

    public int runningTasks() {
        return supervisor.running().size();
    }

    /**
     * Stops polling, stops running tasks (killing their processes; they are reported CANCELLED, which
     * the coordinator takes as given back and runs again elsewhere without counting an attempt),
     * delivers what it can within a short grace (the journal keeps the rest for the next start), and closes
     * every connection. Returns within about {@code 15} seconds even if a coordinator or a job hangs.
     */
    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        log.info("agent {} stopping: {} tasks running, {} results not yet acknowledged",
                config.agentId(), supervisor.running().size(), journal.size());
        heartbeats.closing(); // no new work from here on; what arrives anyway is given back
        heartbeats.stopPolling(STOP_WAIT);
        retentionTimer.shutdownNow();
        logAnswers.close();
        logsLink.close();
        fetchLink.close(); // a task stuck in a download must not hold up shutdown
        blobLink.close();
        supervisor.close();
        heartbeats.stopReporting(FLUSH_GRACE);
        executors.values().forEach(TaskExecutor::close);
        journal.close();
        endpointMemory.close();
        log.info("agent {} stopped: {}", config.agentId(), supervisor.counts());
    }

    /** One retention sweep; a failure is logged and the next sweep tries again. */
    private void applyRetention() {
        try {
            retention.sweep();
        } catch (IOException | RuntimeException e) {
            log.warn("agent {}: log retention failed: {}", config.agentId(), e.toString());
        }
    }

    private static ResultJournal openJournal(AgentConfig config) {
        Path dir = config.workDir().resolve("journal");
        try {
            return FileResultJournal.open(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("agent " + config.agentId() + " cannot open its result journal in " + dir
                    + ": " + e.getMessage(), e);
        }
    }

    private CoordinatorLink link(String purpose) {
        return new ThriftCoordinatorLink(new CoordinatorConnection<>(CoordinatorService.AGENT, config.coordinators(),
                "agent " + config.agentId() + " (" + purpose + ")", config.deadlines(), false, security, endpointMemory), instanceId);
    }

    private static String softwareVersion() {
        return DroverRelease.version();
    }
}
