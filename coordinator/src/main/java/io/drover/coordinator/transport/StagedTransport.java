package io.drover.coordinator.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.transport.TNonblockingSocket;
import org.apache.thrift.transport.TNonblockingTransport;
import org.apache.thrift.transport.TTransportException;

/**
 * One accepted connection as Thrift's frame buffer sees it, with the frame staged here first.
 *
 * <p>Thrift's {@code FrameBuffer} allocates the size a frame header claims as soon as it has read
 * the header, so 64 headers claiming 16 MiB cost 1 GiB before a byte of body arrives. This
 * transport reads the header and body itself, growing its buffer only as bytes arrive and only
 * within the shared {@link ReadBudget}; it shows the frame buffer the header when the whole frame is
 * here, then the body, so Thrift allocates only for frames that have fully arrived. Invalid sizes
 * and frames over budget close the connection here, without Thrift's ERROR lines.
 *
 * <p>With a {@link TlsLayer} every socket read and write goes through it, and a connection starts in
 * its handshake; without one (a coordinator run with --insecure) the socket is used as it is.
 *
 * <p>It also knows whether the connection is in its TLS handshake, idle, receiving a frame, or in a
 * call, and since when, for the timeouts. All reads, writes and closes happen on the connection's selector thread; the
 * phase and its start are read by the sweeper.
 */
final class StagedTransport extends TNonblockingTransport {
    /** Where a connection is between accept and close. */
    enum Phase { HANDSHAKE, IDLE, RECEIVING, IN_CALL }

    private static final int FIRST_CHUNK = 8 * 1024;

    private final TNonblockingSocket socket;
    private final InetAddress remote;
    private final int maxFrameBytes;
    private final ReadBudget budget;
    private final RateLimitedLog badInput;
    private final LongSupplier clockMs;
    private final Runnable onClose;
    private final TlsLayer tls; // null: plaintext
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ByteBuffer header = ByteBuffer.allocate(4);
    private ByteBuffer body;
    private int frameSize;
    private long reserved;
    private boolean staged;
    private volatile Phase phase;
    private volatile long phaseSinceMs;

    StagedTransport(TNonblockingSocket socket, InetAddress remote, int maxFrameBytes, ReadBudget budget,
                    RateLimitedLog badInput, LongSupplier clockMs, Runnable onClose, TlsLayer tls)
            throws TTransportException {
        super(new TConfiguration(maxFrameBytes, maxFrameBytes, TConfiguration.DEFAULT_RECURSION_DEPTH));
        this.socket = socket;
        this.remote = remote;
        this.maxFrameBytes = maxFrameBytes;
        this.budget = budget;
        this.badInput = badInput;
        this.clockMs = clockMs;
        this.onClose = onClose;
        this.tls = tls;
        this.phase = tls == null ? Phase.IDLE : Phase.HANDSHAKE;
        this.phaseSinceMs = clockMs.getAsLong();
    }

    static InetAddress remoteOf(TNonblockingSocket socket) {
        try {
            SocketAddress a = socket.getSocketChannel().getRemoteAddress();
            return a instanceof InetSocketAddress i ? i.getAddress() : null;
        } catch (IOException e) {
            return null;
        }
    }

    InetAddress remote() {
        return remote;
    }

    /** The peer as this connection knows it. */
    Peer peer() {
        return tls == null ? Peer.plaintext(remote) : new Peer(remote, true, tls.peerCertificates());
    }

    /** Whether bytes wait in the TLS layer that the selector will not announce. */
    boolean hasBufferedInput() {
        return tls != null && tls.hasBufferedInput();
    }

    /** Whether TLS bytes wait for the socket to take them. */
    boolean hasPendingOutput() {
        return tls != null && tls.hasPendingOutput();
    }

    /** Sends TLS handshake bytes that wait for the socket; false when the connection must close. */
    boolean flushPending() {
        return tls == null || tls.flushPending();
    }

    Phase phase() {
        return phase;
    }

    long phaseSinceMs() {
        return phaseSinceMs;
    }

    @Override
    public int read(ByteBuffer dst) {
        if (phase == Phase.IN_CALL) {
            endCall(); // the frame buffer reads again: its call ended without a reply written
        }
        if (!staged && !stage()) {
            return -1;
        }
        return staged ? deliver(dst) : 0;
    }

    /** Reads what the socket has of the current frame; false when the connection must close. */
    private boolean stage() {
        if (header.hasRemaining()) {
            // A short read is not the end of what is here: the TLS layer hands out one record at a time.
            int n;
            do {
                n = socketRead(header);
                if (n < 0) {
                    return false;
                }
                if (n > 0 && phase == Phase.IDLE) {
                    enter(Phase.RECEIVING);
                }
            } while (n > 0 && header.hasRemaining());
            if (header.hasRemaining()) {
                return true;
            }
            frameSize = header.getInt(0);
            if (tls == null && (header.get(0) & 0xff) == TlsLayer.HANDSHAKE_RECORD) {
                answer(WrongProtocolAnswers.plaintextOnly(), "TLS connection refused: this coordinator runs with "
                        + "--insecure (plaintext); give the client --insecure, or run the coordinator with TLS");
                return false;
            }
            if (frameSize <= 0 || frameSize > maxFrameBytes) {
                badInput.warn(remote, "closed a connection whose frame header claims " + frameSize
                        + " bytes (allowed: 1.." + maxFrameBytes + ")");
                return false;
            }
            if (!grow(Math.min(frameSize, FIRST_CHUNK))) {
                return false;
            }
        }
        while (true) {
            int n = socketRead(body);
            if (n < 0) {
                return false;
            }
            if (body.position() == frameSize) {
                header.flip();
                body.flip();
                staged = true;
                return true;
            }
            if (body.hasRemaining()) {
                if (n == 0) {
                    return true; // the socket has no more for now
                }
                continue;
            }
            if (!grow((int) Math.min(frameSize, 2L * body.capacity()))) {
                return false;
            }
        }
    }

    private boolean grow(int capacity) {
        int old = body == null ? 0 : body.capacity();
        if (!budget.tryReserve(capacity - old)) {
            badInput.warn(remote, "closed a connection sending a " + frameSize
                    + "-byte frame: the coordinator's read budget is spent (too many large requests at once)");
            return false;
        }
        reserved += capacity - old;
        ByteBuffer bigger = ByteBuffer.allocate(capacity);
        if (body != null) {
            body.flip();
            bigger.put(body);
        }
        body = bigger;
        return true;
    }

    /** Hands the staged frame over: the 4-byte size first, then the body. */
    private int deliver(ByteBuffer dst) {
        int n = copy(header, dst) + copy(body, dst);
        if (!body.hasRemaining()) {
            // The frame buffer holds its own copy now; the reservation stays for it until the reply.
            staged = false;
            body = null;
            header.clear();
            enter(Phase.IN_CALL);
        }
        return n;
    }

    private static int copy(ByteBuffer src, ByteBuffer dst) {
        int n = Math.min(src.remaining(), dst.remaining());
        if (n > 0) {
            ByteBuffer part = src.slice();
            part.limit(n);
            dst.put(part);
            src.position(src.position() + n);
        }
        return n;
    }

    private void endCall() {
        budget.release(reserved);
        reserved = 0;
        enter(Phase.IDLE);
    }

    private void enter(Phase p) {
        phaseSinceMs = clockMs.getAsLong();
        phase = p;
    }

    private int socketRead(ByteBuffer b) {
        if (tls == null) {
            try {
                return socket.read(b);
            } catch (TTransportException e) {
                return -1; // reset by the peer: nothing worth a stack trace
            }
        }
        int n = tls.read(b);
        if (phase == Phase.HANDSHAKE && tls.handshakeDone()) {
            enter(Phase.IDLE);
        }
        if (n < 0 && tls.plaintextPeer()) {
            ByteBuffer call = tls.plaintextBytes();
            answer(WrongProtocolAnswers.tlsRequired(call).orElse(ByteBuffer.allocate(0)),
                    "plaintext connection refused: this port speaks TLS (the client needs --ca-file, or everything --insecure)");
        } else if (n < 0 && tls.failure() != null) {
            badInput.warn(remote, "closed a TLS connection: " + tls.failure());
        }
        return n;
    }

    /**
     * Logs {@code why} (rate-limited) and sends {@code reply} straight to the socket, once, before the
     * connection closes. What the peer sent is drained first: closing with unread bytes would reset
     * the connection and the peer might lose the reply.
     */
    private void answer(ByteBuffer reply, String why) {
        badInput.warn(remote, why);
        try {
            ByteBuffer drain = ByteBuffer.allocate(4096);
            for (int i = 0; i < 4 && socket.read(drain) > 0; i++) {
                drain.clear();
            }
            if (reply.hasRemaining()) {
                socket.write(reply);
            }
        } catch (TTransportException e) {
            badInput.warn(remote, "could not tell the peer why its connection closes: " + e.getMessage());
        }
    }

    @Override
    public int write(ByteBuffer src) {
        if (phase == Phase.IN_CALL) {
            endCall(); // the reply is going out: the request's memory is free again
        }
        if (tls != null) {
            return tls.write(src);
        }
        try {
            return socket.write(src);
        } catch (TTransportException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            socket.close();
            if (tls != null) {
                tls.close();
            }
            budget.release(reserved);
            reserved = 0;
            onClose.run();
        }
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void open() throws TTransportException {
        throw new TTransportException(TTransportException.NOT_OPEN, "an accepted connection is already open");
    }

    @Override
    public int read(byte[] buf, int off, int len) throws TTransportException {
        return read(ByteBuffer.wrap(buf, off, len));
    }

    @Override
    public void write(byte[] buf, int off, int len) throws TTransportException {
        if (tls != null) {
            throw new TTransportException("the frame buffer writes through write(ByteBuffer) only");
        }
        socket.write(buf, off, len);
    }

    @Override
    public void flush() throws TTransportException {
        socket.flush();
    }

    @Override
    public SelectionKey registerSelector(Selector selector, int interests) throws IOException {
        return socket.registerSelector(selector, interests);
    }

    @Override
    public boolean startConnect() {
        throw new UnsupportedOperationException("accepted connections do not connect");
    }

    @Override
    public boolean finishConnect() {
        throw new UnsupportedOperationException("accepted connections do not connect");
    }
}
