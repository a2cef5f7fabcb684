package io.drover.coordinator.rpc;

import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.apache.thrift.server.ServerContext;

/**
 * Closes the transport's connections whose per-connection state matches: how a revocation ends a
 * revoked agent's open connections. The server attaches itself once it exists (it is built after
 * the endpoints).
 */
public final class ConnectionCloser {
    private volatile ToIntFunction<Predicate<ServerContext>> transport = which -> 0;

    /** Called once by the server that owns the connections. */
    public void attach(ToIntFunction<Predicate<ServerContext>> closeWhere) {
        this.transport = closeWhere;
    }

    /** Asks the connections whose {@link ConnectionTracker.Connection} matches to close; returns how many. */
    int close(Predicate<ConnectionTracker.Connection> which) {
        return transport.applyAsInt(c -> c instanceof ConnectionTracker.Connection conn && which.test(conn));
    }
}
