package io.drover.coordinator.watchdog;

import io.drover.protocol.CoordinatorService;
import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.droverConstants;
import io.drover.protocol.tls.TlsHandshakeClosedException;
import io.drover.protocol.tls.TlsRefusedException;
import io.drover.protocol.tls.TlsSettings;
import io.drover.protocol.tls.TlsSockets;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * Asks this coordinator's own port {@code hello} over loopback, as any client would: accept,
 * selector, worker pool and reply path all have to work. A connection closed before the reply means
 * the port refused it (connection caps full under a flood): the port works, so that passes, as
 * does any reply. Only no answer in time, or no connection, fails.
 */
public final class RpcSelfProbe implements ServingWatchdog.Check {
    private final String host;
    private final int port;
    private final int timeoutMs;
    private final TlsSettings tls;

    public RpcSelfProbe(String host, int port, int timeoutMs) {
        this(host, port, timeoutMs, TlsSettings.insecure());
    }

    /** Connecting as {@code tls} says (client settings trusting the coordinator's own CA). */
    public RpcSelfProbe(String host, int port, int timeoutMs, TlsSettings tls) {
        this.host = host;
        this.port = port;
        this.timeoutMs = timeoutMs;
        this.tls = tls;
    }

    @Override
    public String failure() {
        TSocket socket = null;
        try {
            socket = TlsSockets.open(tls, host, port, timeoutMs, timeoutMs);
            CoordinatorService.CLIENT.client(new TCompactProtocol(new TFramedTransport(socket, WireLimits.MAX_FRAME_BYTES)))
                    .hello(new Hello(droverConstants.PROTOCOL_VERSION, "watchdog"));
            return null;
        } catch (TTransportException e) {
            if (e.getType() == TTransportException.END_OF_FILE || e.getCause() instanceof TlsHandshakeClosedException) {
                return null; // closed at once: refused under the connection caps
            }
            return "hello to " + host + ":" + port + " failed: " + e.getMessage();
        } catch (TException e) {
            return null; // an exception in reply is a reply: the port answers
        } catch (TlsRefusedException e) {
            return "hello to " + host + ":" + port + " failed: " + e.getMessage();
        } finally {
            if (socket != null) {
                socket.close();
            }
        }
    }
}
