package io.drover.coordinator.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * TLS for one accepted connection, between {@link StagedTransport} and the socket: an
 * {@link SSLEngine} driven on the connection's selector thread, the handshake included (its
 * delegated tasks run inline: short with EC keys).
 *
 * <p>Buffers are one TLS packet each and exist only while they hold bytes, so a connection parked in
 * a long poll costs its engine and no buffer. Plaintext the engine has decrypted but nobody has read
 * yet stays in {@code appIn}; the selector will not fire for it, so the frame buffer asks
 * {@link #hasBufferedInput()} when it goes back to reading. Writes report plaintext as taken only
 * once its ciphertext is in the socket, which keeps the frame buffer's write interest until then.
 *
 * <p>{@code read} and {@code write} return -1 when the connection must close; {@link #failure()}
 * then says why, for the log. Not thread-safe: the selector thread alone calls it.
 */
final class TlsLayer {
    /** The content type of a TLS handshake record: the first byte any TLS client sends. */
    static final int HANDSHAKE_RECORD = 0x16;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** Far more wrap/unwrap steps than one read can need (a handshake flight, a packet of records). */
    private static final int MAX_STEPS = 4096;

    private final SSLEngine engine;
    private final SocketChannel channel;
    private final int packetBytes;
    private final int appBytes;
    private SelectionKey key;
    private ByteBuffer netIn;  // ciphertext read, not yet unwrapped (write mode)
    private ByteBuffer appIn;  // plaintext unwrapped, not yet read (read mode)
    private ByteBuffer netOut; // ciphertext wrapped, not yet written (write mode)
    private int wrappedPlain;  // plaintext of the caller's buffer inside netOut, reported once written
    private boolean firstByteSeen;
    private boolean plaintextPeer;
    private boolean handshakeDone;
    private volatile List<X509Certificate> peerCertificates = List.of(); // read by the call's worker thread
    private String failure;

    TlsLayer(SSLEngine engine, SocketChannel channel) {
        this.engine = engine;
        this.channel = channel;
        this.packetBytes = engine.getSession().getPacketBufferSize();
        this.appBytes = engine.getSession().getApplicationBufferSize();
    }

    /** The connection's selection key, for write interest while handshake bytes wait for the socket. */
    void attach(SelectionKey k) {
        this.key = k;
    }

    boolean handshakeDone() {
        return handshakeDone;
    }

    /** The client's verified certificate chain, its own first; empty when it presented none. */
    List<X509Certificate> peerCertificates() {
        return peerCertificates;
    }

    /** Whether the peer's first byte was not a TLS handshake record: a plaintext client. */
    boolean plaintextPeer() {
        return plaintextPeer;
    }

    /** The bytes a plaintext peer sent (for an answer it understands); empty for a TLS peer. */
    ByteBuffer plaintextBytes() {
        if (!plaintextPeer || netIn == null) {
            return EMPTY.duplicate();
        }
        return netIn.duplicate().flip();
    }

    /** Why the last read or write returned -1; null for an ordinary close by the peer. */
    String failure() {
        return failure;
    }

    /** Whether decrypted or received bytes wait here that the selector will not announce. */
    boolean hasBufferedInput() {
        return (appIn != null && appIn.hasRemaining()) || (netIn != null && netIn.position() > 0 && !plaintextPeer);
    }

    /** Whether ciphertext waits for the socket to take it. */
    boolean hasPendingOutput() {
        return netOut != null && netOut.position() > 0;
    }

    /** Up to {@code dst.remaining()} bytes of plaintext; 0 when none is here yet, -1 to close. */
    int read(ByteBuffer dst) {
        try {
            if ((appIn == null || !appIn.hasRemaining()) && !fill()) {
                return -1;
            }
            if (appIn == null) {
                return 0;
            }
            int n = Math.min(appIn.remaining(), dst.remaining());
            ByteBuffer part = appIn.slice().limit(n);
            dst.put(part);
            appIn.position(appIn.position() + n);
            return n;
        } catch (SSLException e) {
            return fail("TLS error: " + e.getMessage());
        } catch (IOException e) {
            return -1; // reset by the peer: nothing worth a line
        } finally {
            releaseEmpty();
        }
    }

    /**
     * Encrypts and sends what it can of {@code src}; advances {@code src} only past plaintext whose
     * ciphertext the socket has taken. Returns that count, or -1 to close.
     */
    int write(ByteBuffer src) {
        try {
            int taken = 0;
            while (flush()) {
                if (wrappedPlain > 0) {
                    src.position(src.position() + wrappedPlain);
                    taken += wrappedPlain;
                    wrappedPlain = 0;
                }
                if (!src.hasRemaining()) {
                    break;
                }
                SSLEngineResult r = engine.wrap(src.duplicate(), outBuffer());
                if (r.getStatus() != SSLEngineResult.Status.OK) {
                    return fail("cannot encrypt a reply (" + r.getStatus() + ")");
                }
                noteHandshake(r);
                wrappedPlain = r.bytesConsumed();
            }
            return taken;
        } catch (SSLException e) {
            return fail("TLS error while writing: " + e.getMessage());
        } catch (IOException e) {
            return -1;
        } finally {
            releaseEmpty();
        }
    }

    /** Sends handshake bytes waiting for the socket; false when the connection must close. */
    boolean flushPending() {
        try {
            flush();
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            releaseEmpty();
        }
    }

    /** Drops the buffers; the socket is closed by the caller. */
    void close() {
        netIn = null;
        appIn = null;
        netOut = null;
    }

    /**
     * Unwraps until some plaintext is here or the socket has nothing more, driving the handshake on
     * the way. False when the connection must close.
     */
    private boolean fill() throws IOException {
        for (int step = 0; ; step++) {
            if (step > MAX_STEPS) {
                // An engine that neither consumes nor produces would spin the selector thread.
                return fail("the TLS engine made no progress in " + MAX_STEPS + " steps") >= 0;
            }
            if (!flush()) {
                return true; // handshake bytes wait for the socket; write interest is set
            }
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                    task.run();
                }
                continue;
            }
            if (hs == HandshakeStatus.NEED_WRAP) {
                SSLEngineResult r = engine.wrap(EMPTY, outBuffer());
                noteHandshake(r);
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    return false;
                }
                continue;
            }
            if (netIn != null && netIn.position() > 0) {
                if (appIn == null) {
                    appIn = ByteBuffer.allocate(appBytes);
                } else {
                    appIn.compact();
                }
                netIn.flip();
                SSLEngineResult r;
                try {
                    r = engine.unwrap(netIn, appIn);
                } finally {
                    netIn.compact();
                    appIn.flip();
                }
                noteHandshake(r);
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    return false;
                }
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    return fail("a TLS record larger than the session allows") >= 0;
                }
                if (appIn.hasRemaining()) {
                    markHandshakeDone(); // application data flows only after the handshake
                    return true;
                }
                if (r.getStatus() == SSLEngineResult.Status.OK && r.bytesConsumed() > 0) {
                    continue; // a handshake record: see what the engine wants next
                }
                // a partial record: read more below
            }
            int n = readSocket();
            if (n < 0) {
                return false;
            }
            if (n == 0) {
                return true;
            }
            if (plaintextPeer) {
                return false;
            }
        }
    }

    private int readSocket() throws IOException {
        if (netIn == null) {
            netIn = ByteBuffer.allocate(packetBytes);
        }
        if (!netIn.hasRemaining()) {
            fail("a TLS record larger than " + packetBytes + " bytes");
            return -1;
        }
        int n = channel.read(netIn);
        if (n > 0 && !firstByteSeen) {
            firstByteSeen = true;
            plaintextPeer = (netIn.get(0) & 0xff) != HANDSHAKE_RECORD;
        }
        return n;
    }

    /** Writes netOut; true when it is empty (else write interest is set until it is). */
    private boolean flush() throws IOException {
        if (netOut == null || netOut.position() == 0) {
            return true;
        }
        netOut.flip();
        try {
            channel.write(netOut);
        } finally {
            netOut.compact();
        }
        boolean done = netOut.position() == 0;
        if (!done && key != null && key.isValid()) {
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        }
        return done;
    }

    private ByteBuffer outBuffer() {
        if (netOut == null) {
            netOut = ByteBuffer.allocate(packetBytes);
        }
        return netOut;
    }

    private void noteHandshake(SSLEngineResult r) {
        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            markHandshakeDone();
        }
    }

    private void markHandshakeDone() {
        if (!handshakeDone) {
            handshakeDone = true;
            peerCertificates = verifiedPeerChain();
        }
    }

    private List<X509Certificate> verifiedPeerChain() {
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : engine.getSession().getPeerCertificates()) {
                chain.add((X509Certificate) c);
            }
            return List.copyOf(chain);
        } catch (SSLPeerUnverifiedException e) {
            return List.of(); // no client certificate: a client or a joining agent
        }
    }

    /**
     * Records why the connection closes and sends the engine's alert once, best effort. What the peer
     * already sent is drained first: closing over unread bytes resets the connection, and the peer
     * might then see the reset instead of the alert that says what was wrong.
     */
    private int fail(String why) {
        failure = why;
        try {
            ByteBuffer drain = ByteBuffer.allocate(packetBytes);
            for (int i = 0; i < 4 && channel.read(drain) > 0; i++) {
                drain.clear();
            }
            engine.closeOutbound();
            netOut = null;
            engine.wrap(EMPTY, outBuffer());
            flush();
        } catch (IOException e) {
            failure = why + " (the alert could not be sent either: " + e.getMessage() + ")";
        }
        return -1;
    }

    private void releaseEmpty() {
        if (netIn != null && netIn.position() == 0) {
            netIn = null;
        }
        if (appIn != null && !appIn.hasRemaining()) {
            appIn = null;
        }
        if (netOut != null && netOut.position() == 0) {
            netOut = null;
        }
    }
}
