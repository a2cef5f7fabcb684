package io.drover.bench.fuzz;

import io.drover.protocol.CoordinatorService;
import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.droverConstants;
import io.drover.protocol.tls.TlsSettings;
import io.drover.protocol.tls.TlsSockets;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * Completed TLS sessions: a TLS 1.3 handshake trusting the cluster CA, then a well-formed hello
 * carrying {@code token} (so calls after it run as that token's subject), so the malformed frame
 * that follows reaches the decrypted Thrift reader. One {@link TlsSettings}, hence one
 * {@code SSLContext}, for all connections: its session cache lets later handshakes resume.
 */
final class TlsSessionDialer implements FuzzDialer {
    private final TlsSettings tls;
    private final String host;
    private final int port;
    private final String token;
    private final AtomicLong handshakes = new AtomicLong();

    TlsSessionDialer(TlsSettings tls, String host, int port, String token) {
        if (tls.isInsecure()) {
            throw new IllegalArgumentException("TLS sessions need TLS settings trusting the cluster CA, got insecure ones");
        }
        this.tls = tls;
        this.host = host;
        this.port = port;
        this.token = token;
    }

    @Override
    public Socket open() throws IOException {
        TSocket socket;
        try {
            socket = TlsSockets.open(tls, host, port, 5_000, 2_000);
        } catch (TException | RuntimeException e) {
            throw new IOException("TLS handshake with " + host + ":" + port + " failed: " + e.getMessage(), e);
        }
        handshakes.incrementAndGet();
        try {
            Hello hello = new Hello(droverConstants.PROTOCOL_VERSION, "fuzz");
            if (token != null) {
                hello.setToken(token);
            }
            CoordinatorService.CLIENT.client(new TCompactProtocol(new TFramedTransport(socket, WireLimits.MAX_FRAME_BYTES)))
                    .hello(hello);
        } catch (TException e) {
            socket.close();
            throw new IOException("hello over TLS to " + host + ":" + port + " failed: " + e.getMessage(), e);
        }
        return socket.getSocket();
    }

    /** TLS 1.3 half-closes with a close_notify, so the server reads the frame and then its end at once. */
    @Override
    public boolean halfCloses() {
        return true;
    }

    /** Handshakes completed so far. */
    long handshakes() {
        return handshakes.get();
    }

    @Override
    public String toString() {
        return "TLS " + host + ":" + port + " (" + tls + ")";
    }
}
