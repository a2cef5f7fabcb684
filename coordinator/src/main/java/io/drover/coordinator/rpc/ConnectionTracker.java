package io.drover.coordinator.rpc;

import io.drover.coordinator.core.Event;
import io.drover.coordinator.leader.Leadership;
import io.drover.coordinator.transport.Peer;
import io.drover.coordinator.transport.PeerAware;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.server.ServerContext;
import org.apache.thrift.server.TServerEventHandler;
import org.apache.thrift.transport.TTransport;

/**
 * Notices when an agent's connection closes. A closed connection is the fastest hint that an
 * agent died (kill -9 closes its sockets at once), far earlier than missed heartbeats.
 *
 * <p>Thrift calls {@link #processContext} on the thread that then runs the handler method, so
 * the handler finds the connection of the request it serves through {@link #current()}.
 */
final class ConnectionTracker implements TServerEventHandler, PeerAware {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ConnectionTracker.class);

    /** Per-connection state: which agent spoke on it and its last long poll. */
    static final class Connection implements ServerContext {
        volatile String agentId;
        volatile long lastPollRequest = -1;
        /**
         * Whether heartbeats came on it: only such a connection's close hints that the agent died. Its
         * enrolment and renewal connections, which come and go, say nothing about its health.
         */
        volatile boolean heartbeats;
        volatile boolean open = true;
        /** Who is at the other end; set before each call's handler runs. */
        volatile Peer peer = Peer.plaintext(null);
        /** The client its hello's token stands for; null before a client's hello. */
        volatile io.drover.coordinator.auth.Principal principal;

        @Override
        public <T> T unwrap(Class<T> iface) {
            return iface.isInstance(this) ? iface.cast(this) : null;
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return iface.isInstance(this);
        }
    }

    private static final Connection NONE = new Connection();
    private final ThreadLocal<Connection> current = ThreadLocal.withInitial(() -> NONE);
    private final Set<Connection> openConnections = ConcurrentHashMap.newKeySet();
    private final Leadership leadership;

    ConnectionTracker(Leadership leadership) {
        this.leadership = leadership;
    }

    /** The connection of the request being handled on this thread (a detached dummy if unknown). */
    Connection current() {
        Connection c = current.get();
        return c == NONE ? new Connection() : c;
    }

    /** Whether a connection other than {@code except}, still open, has spoken for {@code agentId}. */
    boolean hasOpenConnection(String agentId, Connection except) {
        for (Connection c : openConnections) {
            if (c != except && c.open && agentId.equals(c.agentId)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void callFrom(Peer peer) {
        Connection c = current.get();
        if (c != NONE) {
            c.peer = peer;
        }
    }

    @Override
    public void preServe() {
    }

    @Override
    public ServerContext createContext(TProtocol input, TProtocol output) {
        Connection c = new Connection();
        openConnections.add(c);
        return c;
    }

    @Override
    public void deleteContext(ServerContext context, TProtocol input, TProtocol output) {
        Connection c = (Connection) context;
        c.open = false;
        openConnections.remove(c);
        String agent = c.agentId;
        if (agent != null && c.heartbeats) {
            log.debug("a connection of agent {} closed (its last poll: {})", agent, c.lastPollRequest);
            leadership.activeTerm().ifPresent(t ->
                    t.loop().tell(new Event.AgentDisconnected(t.loop().nowMs(), agent, c.lastPollRequest)));
        }
    }

    @Override
    public void processContext(ServerContext context, TTransport input, TTransport output) {
        current.set((Connection) context);
    }
}
