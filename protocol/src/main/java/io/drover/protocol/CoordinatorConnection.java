package io.drover.protocol;

import io.drover.protocol.thrift.AccessDenied;
import io.drover.protocol.thrift.IncompatibleVersion;
import io.drover.protocol.thrift.InvalidRequest;
import io.drover.protocol.thrift.NotLeader;
import io.drover.protocol.thrift.ServerInfo;
import io.drover.protocol.thrift.Unavailable;
import io.drover.protocol.tls.ClientSecurity;
import io.drover.protocol.tls.TlsFailures;
import io.drover.protocol.tls.TlsHandshakeClosedException;
import io.drover.protocol.tls.TlsSettings;
import io.drover.protocol.tls.TlsSockets;
import java.time.Duration;
import java.util.List;
import java.util.HashSet;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.TException;
import org.apache.thrift.TServiceClient;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to whichever coordinator is the leader, found from a list of endpoints.
 *
 * <p>{@link #call} follows {@code NotLeader} redirects, moves to the next endpoint when one is
 * unreachable, and backs off on {@code Unavailable}, until the retry deadline. Every Drover RPC
 * is safe to repeat (submits carry idempotency keys, results carry attempt ids), which is what
 * makes retrying after a broken connection correct.
 *
 * <p>Every read has an application-level deadline ({@link CallDeadlines}): a frozen coordinator's
 * kernel still accepts connections, so only an unanswered hello or call reveals it. An endpoint
 * that timed out becomes suspect for a while: tried after the others, and given a short hello when
 * a standby's stale hint points back at it, so the loop settles on a new leader within about a
 * second of its election. Calls are serialized: one Thrift client is
 * not thread-safe, and callers wanting parallelism open more connections.
 *
 * <p>A connection speaks one of the coordinator's services ({@link CoordinatorService#AGENT} or
 * {@link CoordinatorService#CLIENT}), multiplexed by name on the coordinator's one port.
 * A coordinator of the previous release served one unmultiplexed service and answers a prefixed
 * name with {@code UNKNOWN_METHOD}: the connection then calls that endpoint with bare names, the
 * previous release's bytes, until it reconnects (see {@link ServiceLink}). Both directions of a rolling
 * upgrade thus work across one release of difference.
 *
 * @param <C> the service's generated client type
 */
public final class CoordinatorConnection<C extends TServiceClient> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CoordinatorConnection.class);
    private static final int MAX_IMMEDIATE_REDIRECTS = 3;

    /** One RPC against a connected client. */
    @FunctionalInterface
    public interface Call<C, T> {
        T apply(C client) throws TException;
    }

    private final CoordinatorService<C> service;
    private final List<Endpoint> endpoints;
    private final String peerName;
    private final CallDeadlines deadlines;
    /** Give up at once when every endpoint refuses the connection (see {@link Refusals}); clients do, agents wait. */
    private final boolean giveUpWhenRefused;
    private final ClientSecurity security;
    /** Suspects, previous-release endpoints and probe threads, shared with the owner's other connections. */
    private final EndpointMemory memory;
    /** Whether {@link #memory} is this connection's own, closed with it. */
    private final boolean ownsMemory;

    /** An ordinary call unanswered this long has the other endpoints asked whether one leads now. */
    static final Duration PROBE_AFTER = Duration.ofSeconds(1);
    private static final Duration PROBE_EVERY = Duration.ofMillis(500);
    /** A leader a probe found while a call was stuck elsewhere; the caller moves there. */
    private volatile Endpoint leaderFound;
    private int nextIndex;
    private Endpoint current;
    private volatile TSocket socket;
    private ServiceLink<C> link;
    /** The settings {@link #socket} was opened with: new ones (a renewed certificate) mean a new socket. */
    private TlsSettings linkTls;
    private volatile boolean closed;

    public CoordinatorConnection(CoordinatorService<C> service, List<Endpoint> endpoints, String peerName,
                                 CallDeadlines deadlines) {
        this(service, endpoints, peerName, deadlines, false);
    }

    /**
     * With {@code giveUpWhenRefused}, a call gives up with {@link NothingListeningException} as soon as
     * every endpoint refused the connection in two rounds {@link Refusals#PAUSE} apart, rather than
     * after the retry deadline: an interactive client with no coordinator running learns it at once.
     */
    public CoordinatorConnection(CoordinatorService<C> service, List<Endpoint> endpoints, String peerName,
                                 CallDeadlines deadlines, boolean giveUpWhenRefused) {
        this(service, endpoints, peerName, deadlines, giveUpWhenRefused, ClientSecurity.insecure());
    }

    /**
     * Secured as {@code security} says: its TLS settings are read for every new socket, its token
     * sent in every hello. A TLS failure retrying cannot mend (no TLS there, a certificate from
     * another CA) ends the call at once with a {@link io.drover.protocol.tls.TlsRefusedException}.
     */
    public CoordinatorConnection(CoordinatorService<C> service, List<Endpoint> endpoints, String peerName,
                                 CallDeadlines deadlines, boolean giveUpWhenRefused, ClientSecurity security) {
        this(service, endpoints, peerName, deadlines, giveUpWhenRefused, security, null);
    }

    /**
     * As above, sharing {@code memory} (which endpoints are suspect, ...) with the caller's other
     * connections; the caller closes it. {@code null}: this connection's own, closed with it.
     */
    public CoordinatorConnection(CoordinatorService<C> service, List<Endpoint> endpoints, String peerName,
                                 CallDeadlines deadlines, boolean giveUpWhenRefused, ClientSecurity security,
                                 EndpointMemory memory) {
        this.ownsMemory = memory == null;
        this.memory = memory != null ? memory : new EndpointMemory("drover-leader-probe");
        this.service = service;
        this.security = security;
        this.giveUpWhenRefused = giveUpWhenRefused;
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no coordinator endpoint given");
        }
        this.endpoints = List.copyOf(endpoints);
        this.peerName = peerName;
        this.deadlines = deadlines;
        this.nextIndex = ThreadLocalRandom.current().nextInt(endpoints.size());
    }

    /** A connection whose hello and calls all get {@code socketTimeout} (probes and tests). */
    public CoordinatorConnection(CoordinatorService<C> service, List<Endpoint> endpoints, String peerName,
                                 Duration connectTimeout, Duration socketTimeout, Duration retryDeadline) {
        this(service, endpoints, peerName, new CallDeadlines(connectTimeout, socketTimeout, socketTimeout,
                CallDeadlines.DEFAULTS.parkMargin(), retryDeadline));
    }

    public CallDeadlines deadlines() {
        return deadlines;
    }

    /** Runs {@code call} on the leader within the ordinary call deadline, retrying as described above. */
    public <T> T call(Call<C, T> call) {
        return call(deadlines.call(), call);
    }

    /**
     * Runs {@code call} on the leader, each attempt allowed {@code attemptDeadline} for its answer
     * (a parked poll's wait plus a margin, a large payload's transfer time), retrying as above.
     */
    public synchronized <T> T call(Duration attemptDeadline, Call<C, T> call) {
        int attemptMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1, attemptDeadline.toMillis()));
        long deadline = System.nanoTime() + deadlines.retry().toNanos();
        long backoffMs = 50;
        int redirects = 0;
        Exception last = null;
        Refusals refusals = new Refusals(new HashSet<>(endpoints).size());
        while (!closed) {
            if (link == null && current == null) {
                current = nextEndpoint();
            }
            Endpoint target = current;
            try {
                ensureConnected();
                socket.setTimeout(attemptMs);
                return callProbing(call, attemptMs);
            } catch (UnknownMethodException e) {
                throw new RequestRefusedException(e.getMessage());
            } catch (NotLeader e) {
                last = e;
                refusals.other();
                Endpoint hint = e.isSetLeaderEndpoint() ? parseHint(e.getLeaderEndpoint()) : null;
                log.debug("{} is not the leader (hint {})", current, hint);
                disconnect();
                if (hint != null) {
                    current = hint;
                    // Follow a hint at once, but not for ever: standbys with stale hints that point
                    // at each other (during an election) must not bypass the backoff and deadline.
                    if (++redirects <= MAX_IMMEDIATE_REDIRECTS && System.nanoTime() - deadline < 0) {
                        continue;
                    }
                    redirects = 0;
                }
            } catch (InvalidRequest e) {
                throw new RequestRefusedException(e.getMessage());
            } catch (AccessDenied e) { // a role does not change by retrying
                throw new PermissionRefusedException(e.getMessage(), e.isSetPermission() ? e.getPermission() : null);
            } catch (IncompatibleVersion e) {
                throw new RequestRefusedException("protocol version mismatch: " + e.getMessage());
            } catch (Unavailable e) {
                last = e;
                refusals.other();
                log.debug("{} unavailable: {}", current, e.getMessage());
            } catch (TException e) {
                last = e;
                Endpoint found = leaderFound;
                if (found != null) {
                    // A probe found another leader and closed this socket: the failure is ours.
                    log.info("{} did not answer; {} leads now", current, found);
                    leaderFound = null;
                    refusals.other();
                    memory.suspect(current);
                    disconnect();
                    current = found;
                    continue;
                }
                log.debug("call to {} failed: {}", target, e.toString());
                if (giveUpWhenRefused && refusals.roundRefused(target, e)) {
                    if (refusals.exhausted() || System.nanoTime() - deadline > 0) {
                        throw new NothingListeningException("nothing listens at " + endpoints
                                + ": connection refused (tried " + Refusals.ROUNDS + " times, "
                                + Refusals.PAUSE.toMillis() + " ms apart)", e);
                    }
                    sleepQuietly(Refusals.PAUSE.toMillis()); // a coordinator may be restarting just now
                    continue;
                }
                boolean timedOut = Refusals.isTimeout(e);
                if (current != null && timedOut) {
                    // Connected but silent (a frozen or overloaded process): try the others first.
                    log.info("{} did not answer within {} ms; trying the other coordinators", current, attemptMs);
                    memory.suspect(current);
                }
                disconnect();
                if (timedOut && System.nanoTime() - deadline < 0) {
                    continue; // the timeout was the wait; another endpoint may lead already
                }
            }
            if (System.nanoTime() - deadline > 0) {
                break;
            }
            // Jittered and capped low: after a failover every agent should find the new leader
            // within a fraction of a second, without all of them retrying in lockstep.
            sleepQuietly(backoffMs / 2 + ThreadLocalRandom.current().nextLong(backoffMs / 2 + 1));
            backoffMs = Math.min(backoffMs * 2, 500);
        }
        throw new NoLeaderException("no leading coordinator answered among " + endpoints
                + (last == null ? "" : " (last error: " + describe(last) + ")"), last);
    }

    /**
     * Runs one call against the first endpoint, whether it leads or not, on a fresh connection
     * (for probes and tools that must talk to a particular coordinator). No retries.
     */
    public <T> T callDirect(Call<C, T> call) {
        Endpoint e = endpoints.get(0);
        TSocket s = null;
        try {
            s = open(e, millis(deadlines.call()), millis(deadlines.connect()));
            return link(e, s).apply(call);
        } catch (UnknownMethodException ex) {
            throw new RequestRefusedException(ex.getMessage());
        } catch (TException ex) {
            throw new NoLeaderException("call to " + e + " failed: " + describe(ex), ex);
        } finally {
            if (s != null) {
                TlsSockets.closeNow(s);
            }
        }
    }

    /** The endpoint currently connected, if any. */
    public synchronized Endpoint currentEndpoint() {
        return current;
    }

    private void ensureConnected() throws TException {
        if (link == null) {
            connect();
            return;
        }
        if (security.currentTls() == linkTls) {
            return;
        }
        // The agent renewed its certificate: move to it before the old one ends (the coordinator refuses
        // calls on a connection whose certificate has expired). Same endpoint, a new socket; the old one
        // is closed only then, since the coordinator takes an agent's closed connection as a sign it may
        // be gone, and the next call on the new socket is what clears that.
        log.debug("{}: new TLS settings (a renewed certificate); reconnecting to {}", peerName, current);
        TSocket replaced = socket;
        socket = null;
        link = null;
        try {
            connect();
        } finally {
            TlsSockets.closeNow(replaced);
        }
    }

    private void connect() throws TException {
        if (current == null) {
            current = nextEndpoint();
        }
        boolean suspect = isSuspect(current);
        int helloMs = millis(suspect ? min(deadlines.hello(), CallDeadlines.SUSPECT_HELLO) : deadlines.hello());
        TSocket s = null;
        try {
            TlsSettings tls = security.currentTls();
            s = TlsSockets.open(tls, current.host(), current.port(), helloMs,
                    millis(suspect ? min(deadlines.connect(), CallDeadlines.SUSPECT_HELLO) : deadlines.connect()));
            ServiceLink<C> l = link(current, s);
            ServerInfo info = l.hello(peerName);
            if (!info.isLeader()) {
                NotLeader notLeader = new NotLeader("not the leader");
                if (info.isSetLeaderEndpoint()) {
                    notLeader.setLeaderEndpoint(info.getLeaderEndpoint());
                }
                TlsSockets.closeNow(s);
                throw notLeader;
            }
            memory.answered(current);
            socket = s;
            link = l;
            linkTls = tls;
        } catch (TException e) {
            if (s != null) {
                TlsSockets.closeNow(s);
                // TLS 1.3 tells a client its certificate was refused only at its first read: the hello
                TlsFailures.refusal(e, current.toString(), security.currentTls()).ifPresent(r -> {
                    throw r;
                });
            }
            if (e instanceof UnknownMethodException) {
                current = null; // it answered, so it is not suspect; the refusal surfaces
            } else if (!(e instanceof NotLeader)) {
                memory.suspect(current);
                current = null; // try the next endpoint
            }
            throw e;
        }
    }

    /**
     * Runs an ordinary call while, once it has gone unanswered for {@link #PROBE_AFTER}, the other
     * endpoints are asked whether one of them leads: a frozen leader is left as soon as ZooKeeper
     * has named another, not after the whole call deadline. Parked calls (long polls) are not probed:
     * their silence is expected, and probing every poll would load the standbys.
     */
    private <T> T callProbing(Call<C, T> call, int attemptMs) throws TException {
        if (endpoints.size() < 2 || attemptMs > deadlines.call().toMillis() || attemptMs <= PROBE_AFTER.toMillis()) {
            return link.apply(call);
        }
        leaderFound = null;
        Endpoint target = current;
        TSocket stuck = socket;
        java.util.concurrent.ScheduledExecutorService probes = memory.probes();
        if (probes == null) { // the owner is closing: no probe, the call fails or ends as it will
            return link.apply(call);
        }
        ScheduledFuture<?> probe = probes.scheduleWithFixedDelay(() -> probe(target, stuck),
                PROBE_AFTER.toMillis(), PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return link.apply(call);
        } finally {
            probe.cancel(false);
        }
    }

    /** One round of asking the endpoints other than {@code target}; closes {@code stuck} when one leads. */
    private void probe(Endpoint target, TSocket stuck) {
        if (leaderFound != null || !stuck.isOpen()) {
            return;
        }
        for (Endpoint e : endpoints) {
            if (e.equals(target)) {
                continue;
            }
            int ms = millis(CallDeadlines.SUSPECT_HELLO);
            TSocket s = null;
            try {
                s = open(e, ms, ms);
                ServerInfo info = link(e, s).hello(peerName + " (probe)");
                if (info.isLeader()) {
                    leaderFound = e;
                    TlsSockets.closeNow(stuck); // unblocks the caller's read
                    return;
                }
            } catch (TException | RequestRefusedException ex) {
                log.debug("probe of {} failed: {}", e, ex.toString());
            } finally {
                if (s != null) {
                    TlsSockets.closeNow(s);
                }
            }
        }
    }

    /** The next endpoint in turn, passing over suspect ones while any other is left. */
    private Endpoint nextEndpoint() {
        int n = endpoints.size();
        int fallback = -1;
        for (int i = 0; i < n; i++) {
            int index = (nextIndex + i) % n;
            if (!isSuspect(endpoints.get(index))) {
                nextIndex = (index + 1) % n;
                return endpoints.get(index);
            }
            if (fallback < 0) {
                fallback = index;
            }
        }
        // Every endpoint is suspect: take them in turn, not the same one again and again.
        nextIndex = (fallback + 1) % n;
        return endpoints.get(fallback);
    }

    private boolean isSuspect(Endpoint e) {
        return memory.isSuspect(e);
    }

    /** A new socket to {@code e}, secured with the settings of the moment. */
    private TSocket open(Endpoint e, int socketTimeoutMs, int connectTimeoutMs) throws TTransportException {
        return TlsSockets.open(security.currentTls(), e.host(), e.port(), socketTimeoutMs, connectTimeoutMs);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    private Endpoint parseHint(String hint) {
        try {
            return Endpoint.parse(hint);
        } catch (IllegalArgumentException e) {
            log.warn("ignoring malformed leader hint '{}'", hint);
            return null;
        }
    }

    private void disconnect() {
        if (socket != null) {
            TlsSockets.closeNow(socket);
        }
        socket = null;
        link = null;
        current = null;
    }

    private ServiceLink<C> link(Endpoint e, TSocket s) throws TTransportException {
        return new ServiceLink<>(service, e, s, security.token(), memory.previousRelease());
    }

    private static String describe(Exception e) {
        if (e instanceof TTransportException t && t.getCause() instanceof TlsHandshakeClosedException c) {
            return c.getMessage();
        }
        if (e instanceof TTransportException t && t.getCause() != null) {
            return t.getCause().toString();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private static void sleepQuietly(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NoLeaderException("interrupted while waiting for a coordinator", e);
        }
    }

    /** Not synchronized: closing the socket is what unblocks a call parked in a long poll. */
    @Override
    public void close() {
        closed = true;
        TSocket s = socket;
        if (s != null) {
            TlsSockets.closeNow(s);
        }
        if (ownsMemory) {
            memory.close();
        }
    }
}
