package io.drover.protocol.tls;

import io.drover.protocol.WireLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;

/**
 * Opens the blocking sockets clients and agents talk to a coordinator over: plaintext, or TLS 1.3
 * with the handshake done here (within the socket timeout) so its failures surface at once, as a
 * {@link TlsRefusedException} when retrying cannot help.
 */
public final class TlsSockets {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TlsSockets.class);
    private TlsSockets() {
    }

    /** An open socket to {@code host:port} secured as {@code tls} says. */
    public static TSocket open(TlsSettings tls, String host, int port, int socketTimeoutMs, int connectTimeoutMs)
            throws TTransportException {
        if (tls.isInsecure()) {
            TSocket s = new TSocket(WireLimits.configuration(), host, port, socketTimeoutMs, connectTimeoutMs);
            s.open();
            return s;
        }
        Socket raw = new Socket();
        SSLSocket ssl = null;
        try {
            raw.setSoTimeout(socketTimeoutMs);
            raw.connect(new InetSocketAddress(host, port), connectTimeoutMs);
            ssl = (SSLSocket) tls.sslContext().getSocketFactory().createSocket(raw, host, port, true);
            ssl.setSSLParameters(tls.parameters());
            ssl.startHandshake();
        } catch (IOException | RuntimeException e) {
            closeQuietly(ssl != null ? ssl : raw, e);
            throw translate(e, host + ":" + port, tls);
        }
        TSocket s = new TSocket(ssl);
        s.getConfiguration().setMaxMessageSize(WireLimits.MAX_MESSAGE_BYTES);
        s.setMaxFrameSize(WireLimits.MAX_FRAME_BYTES);
        s.updateKnownMessageSize(0);
        s.setTimeout(socketTimeoutMs);
        return s;
    }

    /**
     * {@code failure} of a TLS connection to {@code hostPort} as the caller should see it: a
     * {@link TlsRefusedException} when retrying cannot help, else a transport failure worth a retry.
     */
    public static TTransportException translate(Exception failure, String hostPort, TlsSettings tls) {
        TlsFailures.refusal(failure, hostPort, tls).ifPresent(r -> {
            throw r;
        });
        if (TlsFailures.closedDuringHandshake(failure)) {
            return new TTransportException(TTransportException.NOT_OPEN, new TlsHandshakeClosedException(
                    "the coordinator at " + hostPort + " closed the connection during the TLS handshake; if it runs "
                            + "with --insecure, pass --insecure (or DROVER_INSECURE=1)", failure));
        }
        return failure instanceof TTransportException t ? t : new TTransportException(TTransportException.NOT_OPEN, failure);
    }

    private static void closeQuietly(Socket s, Exception failure) {
        try {
            s.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Closes {@code socket} at once. A TLS socket's close sends close_notify and then waits, up to its
     * read timeout, for the peer's: against a frozen coordinator that is the whole call deadline (8 s
     * for a long poll), long enough for the new leader to declare the agent lost. A 1 ms timeout first
     * keeps the close_notify and drops the wait.
     */
    public static void closeNow(TSocket socket) {
        if (socket == null) {
            return;
        }
        java.net.Socket s = socket.getSocket();
        if (s instanceof SSLSocket && !s.isClosed()) {
            try {
                s.setSoTimeout(1);
            } catch (java.net.SocketException e) {
                log.debug("cannot shorten the close of {}: {}", s, e.toString()); // closing anyway
            }
        }
        socket.close();
    }
}
