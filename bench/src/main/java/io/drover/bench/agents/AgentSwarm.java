package io.drover.bench.agents;

import io.drover.protocol.CoordinatorService;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.HeartbeatReply;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.ServerInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.apache.thrift.TException;
import org.apache.thrift.async.AsyncMethodCallback;
import org.apache.thrift.async.TAsyncClientManager;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.protocol.TProtocolFactory;
import org.apache.thrift.transport.TNonblockingSocket;
import org.apache.thrift.transport.TTransportException;

/**
 * Many simulated agents in one JVM, each on its own plaintext socket to the leader, speaking the
 * agent protocol as the real agent does (hello, registerAgent, then heartbeats: long polls, and
 * reports of finished tasks at once). Non-blocking: Thrift's async clients on a few selector
 * threads ({@link TAsyncClientManager}), plus one timer thread for reconnect pauses and, with a
 * zero poll wait, the heartbeat interval. At most {@code joinConcurrency} agents are between their
 * connect and their first registration at once, so the ramp does not overflow the accept backlog.
 */
public final class AgentSwarm implements AutoCloseable {
    /** Between a failed call and the agent's reconnect, as the real agent pauses. */
    static final Duration RECONNECT_PAUSE = Duration.ofSeconds(1);
    /** A call's timeout beyond the poll wait (a loaded leader answers late, but answers). */
    static final Duration CALL_MARGIN = Duration.ofSeconds(20);

    /**
     * @param pollWait        how long the leader may park a poll (0: no long polls; heartbeat every {@code interval})
     * @param interval        heartbeat period when {@code pollWait} is zero
     * @param selectors       selector threads (Thrift async client managers)
     * @param joinConcurrency agents connecting and registering at once
     */
    public record Settings(int agents, int slots, Duration pollWait, Duration interval, int selectors, int joinConcurrency,
                           String idPrefix) {
        public Settings {
            if (agents < 1 || slots < 1 || selectors < 1 || joinConcurrency < 1) {
                throw new IllegalArgumentException("agents, slots, selectors and joinConcurrency must be >= 1");
            }
            if (pollWait.isNegative() || pollWait.isZero() && interval.toMillis() < 1) {
                throw new IllegalArgumentException("need pollWait >= 0, and a positive interval when pollWait is 0");
            }
        }
    }

    private final String host;
    private final int port;
    private final Settings settings;
    private final List<TAsyncClientManager> managers = new ArrayList<>();
    private final ScheduledExecutorService timer;
    private final TProtocolFactory protocols;
    private final Semaphore joins;
    private final Map<Integer, Link> links = new ConcurrentHashMap<>();
    private final AtomicInteger registered = new AtomicInteger();
    private final SwarmStats stats = new SwarmStats();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private volatile TaskLedger ledger;
    private volatile boolean closed;
    private Thread ramp;

    public AgentSwarm(String host, int port, Settings settings) {
        this.host = host;
        this.port = port;
        this.settings = settings;
        this.joins = new Semaphore(settings.joinConcurrency());
        String service = CoordinatorService.AGENT.name();
        this.protocols = t -> new TMultiplexedProtocol(new TCompactProtocol(t), service);
        try {
            for (int i = 0; i < settings.selectors(); i++) {
                managers.add(new TAsyncClientManager());
            }
        } catch (IOException e) {
            managers.forEach(TAsyncClientManager::stop);
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "swarm-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts connecting every agent (on a ramp thread that keeps {@code joinConcurrency} joins in flight). */
    public AgentSwarm start() {
        ramp = new Thread(() -> {
            for (int i = 0; i < settings.agents() && !closed; i++) {
                try {
                    joins.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                SimAgent agent = new SimAgent(i, settings.idPrefix() + i, settings.slots());
                Link link = new Link(agent, managers.get(i % managers.size()));
                links.put(i, link);
                link.connect();
            }
        }, "swarm-ramp");
        ramp.setDaemon(true);
        ramp.start();
        return this;
    }

    /** Agents registered at least once. */
    public int registered() {
        return registered.get();
    }

    public SwarmStats stats() {
        return stats;
    }

    /** Assignments and acknowledgements from now on go into {@code ledger}. */
    public void record(TaskLedger ledger) {
        this.ledger = ledger;
    }

    /** Failed calls by kind ("heartbeat: TimeoutException"), sorted. */
    public Map<String, Long> errors() {
        Map<String, Long> out = new TreeMap<>();
        errors.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    @Override
    public void close() {
        closed = true;
        if (ramp != null) {
            ramp.interrupt();
        }
        timer.shutdownNow();
        managers.forEach(TAsyncClientManager::stop); // first: a call pending on a closed socket makes the selector complain
        links.values().forEach(Link::close);
    }

    /** One agent's connection: the async client of its current socket, and the step it is at. */
    private final class Link {
        private final SimAgent agent;
        private final TAsyncClientManager manager;
        private TNonblockingSocket socket; // guarded by this
        private AgentService.AsyncClient client; // guarded by this
        private boolean joinHeld = true; // holds a join permit until its first registration or failure

        Link(SimAgent agent, TAsyncClientManager manager) {
            this.agent = agent;
            this.manager = manager;
        }

        synchronized void connect() {
            if (closed) {
                return;
            }
            try {
                socket = new TNonblockingSocket(host, port);
                client = new AgentService.AsyncClient(protocols, manager, socket);
                client.setTimeout(CALL_MARGIN.toMillis());
                client.hello(agent.hello(), callback("hello", (ServerInfo info) -> register()));
            } catch (IOException | TException e) {
                failed("connect", e);
            }
        }

        synchronized void register() {
            try {
                client.setTimeout(CALL_MARGIN.toMillis());
                client.registerAgent(agent.registration(), callback("registerAgent", (Void v) -> {
                    if (agent.registered()) {
                        registered.incrementAndGet();
                    }
                    releaseJoin();
                    heartbeat();
                }));
            } catch (TException e) {
                failed("registerAgent", e);
            }
        }

        synchronized void heartbeat() {
            if (closed) {
                return;
            }
            HeartbeatRequest q = agent.heartbeat(settings.pollWait().toMillis());
            long wait = q.getMaxWaitMs();
            long sent = System.nanoTime();
            try {
                client.setTimeout(wait + CALL_MARGIN.toMillis());
                stats.sent.increment();
                client.heartbeat(q, callback("heartbeat", (HeartbeatReply reply) -> {
                    long took = System.nanoTime() - sent;
                    stats.replied(wait, SimAgent.carriesWork(reply), took);
                    if (agent.onReply(reply, ledger)) {
                        register();
                    } else if (agent.hasResults() || settings.pollWait().toMillis() > 0) {
                        heartbeat();
                    } else {
                        long next = settings.interval().toNanos() - (System.nanoTime() - sent);
                        schedule(this::heartbeat, Math.max(0, next));
                    }
                }));
            } catch (TException e) {
                failed("heartbeat", e);
            }
        }

        private void schedule(Runnable step, long nanos) {
            try {
                timer.schedule(step, nanos, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                if (!closed) {
                    throw e;
                }
            }
        }

        private <T> AsyncMethodCallback<T> callback(String call, Consumer<T> next) {
            return new AsyncMethodCallback<>() {
                @Override
                public void onComplete(T response) {
                    next.accept(response);
                }

                @Override
                public void onError(Exception e) {
                    failed(call, e);
                }
            };
        }

        /** Counts the failure, drops the socket and reconnects after a pause (registering again, as a real agent would). */
        synchronized void failed(String call, Exception e) {
            if (closed) {
                return;
            }
            errors.computeIfAbsent(call + ": " + e.getClass().getSimpleName(), k -> new LongAdder()).increment();
            releaseJoin();
            closeSocket();
            schedule(this::connect, RECONNECT_PAUSE.toNanos());
        }

        private void releaseJoin() {
            if (joinHeld) {
                joinHeld = false;
                joins.release();
            }
        }

        private void closeSocket() {
            if (socket != null) {
                socket.close();
                socket = null;
            }
        }

        synchronized void close() {
            closeSocket();
        }
    }

    /** Heartbeat counts and reply latencies, by kind of heartbeat. */
    public static final class SwarmStats {
        final LongAdder sent = new LongAdder();
        final LongAdder replies = new LongAdder();
        /** Heartbeats with no wait (reports of results): send to reply. */
        public final LatencyHistogram immediate = new LatencyHistogram();
        /** Polls answered with work before their wait ran out: send to reply. */
        public final LatencyHistogram woken = new LatencyHistogram();
        /** Polls answered empty when their wait ran out: how late after the wait (send to reply minus wait). */
        public final LatencyHistogram parkedLateness = new LatencyHistogram();

        void replied(long waitMs, boolean carriesWork, long nanos) {
            replies.increment();
            if (waitMs == 0) {
                immediate.recordNanos(nanos);
            } else if (carriesWork) {
                woken.recordNanos(nanos);
            } else {
                parkedLateness.recordNanos(Math.max(0, nanos - waitMs * 1_000_000));
            }
        }

        public long sent() {
            return sent.sum();
        }

        public long replies() {
            return replies.sum();
        }

        public void resetLatencies() {
            immediate.reset();
            woken.reset();
            parkedLateness.reset();
        }
    }
}
