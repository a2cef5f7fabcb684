package io.drover.coordinator.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLEngine;
import io.drover.protocol.tls.TlsSettings;
import org.apache.thrift.server.TThreadedSelectorServer;
import org.apache.thrift.transport.TNonblockingServerTransport;
import org.apache.thrift.transport.TNonblockingSocket;
import org.apache.thrift.transport.TNonblockingTransport;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thrift's threaded selector server with its connections held to {@link TransportLimits}: frames
 * staged by {@link StagedTransport} (memory follows bytes received, within one budget), connections
 * capped per address and in total at accept, and connections that sit idle or take too long over a
 * frame closed by a sweeper. A connection whose call is running (a parked long poll) is never cut.
 *
 * <p>With server {@link TlsSettings} every connection speaks TLS 1.3 through its own {@link TlsLayer}
 * (handshakes not done within {@link TransportLimits#handshakeTimeout()} are closed); with
 * {@link TlsSettings#insecure()} the port is plaintext.
 *
 * <p>libthrift keeps its selector threads in private fields, so this class starts and joins its own
 * (the same threads, with {@link #createFrameBuffer} overridden).
 */
public final class GuardedSelectorServer extends TThreadedSelectorServer {
    private static final Logger log = LoggerFactory.getLogger(GuardedSelectorServer.class);

    private final Args args;
    private final TransportLimits limits;
    private final LongSupplier clockMs;
    private final TlsSettings tls;
    private final ReadBudget budget;
    private final ConnectionCaps caps;
    private final RateLimitedLog badInput;
    private final RateLimitedLog refusals;
    private final Set<GuardedFrameBuffer> open = ConcurrentHashMap.newKeySet();
    private final List<GuardedSelectorThread> selectors = new ArrayList<>();
    private AcceptThread acceptor;
    private Thread sweeper;

    /** A plaintext server. */
    public GuardedSelectorServer(Args args, TransportLimits limits, LongSupplier clockMs) {
        this(args, limits, clockMs, TlsSettings.insecure());
    }

    public GuardedSelectorServer(Args args, TransportLimits limits, LongSupplier clockMs, TlsSettings tls) {
        super(withoutThriftBudget(args));
        if (!tls.isInsecure() && !tls.isServer()) {
            throw new IllegalArgumentException("the RPC server needs server TLS settings (TlsSettings.server), got " + tls);
        }
        this.tls = tls;
        this.args = args;
        this.limits = limits;
        this.clockMs = clockMs;
        this.budget = new ReadBudget(limits.readBudgetBytes());
        this.caps = new ConnectionCaps(limits.maxConnectionsPerAddress(), limits.maxConnections());
        this.badInput = new RateLimitedLog(LoggerFactory.getLogger("io.drover.coordinator.transport.BadInput"), clockMs);
        this.refusals = new RateLimitedLog(LoggerFactory.getLogger("io.drover.coordinator.transport.Refused"), clockMs);
    }

    /** Thrift's own budget would stall every connection once spent; {@link ReadBudget} replaces it. */
    private static Args withoutThriftBudget(Args args) {
        args.maxReadBufferBytes = Long.MAX_VALUE / 4;
        return args;
    }

    /** Request bytes held right now (frames being received or in their call). */
    public long readBytesHeld() {
        return budget.used();
    }

    public int openConnections() {
        return caps.open();
    }

    /**
     * Closes the open connections whose context (what the server's event handler keeps per
     * connection) matches, each on its selector thread within moments, a parked call's too: how a
     * revoked agent's connections end. Returns how many were asked to close.
     */
    public int closeConnections(java.util.function.Predicate<org.apache.thrift.server.ServerContext> which) {
        int closing = 0;
        for (GuardedFrameBuffer f : open) {
            if (f.context() != null && which.test(f.context())) {
                f.requestClose(false);
                closing++;
            }
        }
        return closing;
    }

    /** Logs bad input from the connection of {@code frame}, rate-limited, and closes it. */
    void rejectBadInput(GuardedFrameBuffer frame, String what) {
        badInput.warn(frame.staged.remote(), what);
        frame.requestClose(false);
    }

    @Override
    protected boolean startThreads() {
        try {
            for (int i = 0; i < args.selectorThreads; i++) {
                selectors.add(new GuardedSelectorThread(args.getAcceptQueueSizePerThread()));
            }
            acceptor = new AcceptThread((TNonblockingServerTransport) serverTransport_, createSelectorThreadLoadBalancer(selectors));
            for (GuardedSelectorThread t : selectors) {
                t.setName("drover-rpc-selector-" + selectors.indexOf(t));
                t.start();
            }
            acceptor.setName("drover-rpc-accept");
            acceptor.start();
            sweeper = new Thread(this::sweep, "drover-rpc-sweeper");
            sweeper.setDaemon(true);
            sweeper.start();
            return true;
        } catch (IOException e) {
            log.error("cannot start the RPC server's threads: {}", e.toString());
            return false;
        }
    }

    @Override
    protected void joinThreads() throws InterruptedException {
        acceptor.join();
        for (GuardedSelectorThread t : selectors) {
            t.join();
        }
        sweeper.interrupt();
        sweeper.join();
    }

    @Override
    public void stop() {
        super.stop();
        if (acceptor != null) {
            acceptor.wakeupSelector();
        }
        for (GuardedSelectorThread t : selectors) {
            t.wakeupSelector();
        }
    }

    /** Closes overdue connections; the close itself runs on each connection's selector thread. */
    private void sweep() {
        long shortest = Math.min(limits.frameTimeout().toMillis(), limits.handshakeTimeout().toMillis());
        long period = Math.max(50, Math.min(1_000, shortest / 4));
        while (!stopped_) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            long now = clockMs.getAsLong();
            for (GuardedFrameBuffer f : open) {
                if (f.staged.hasBufferedInput()) {
                    f.requestBufferedRead(); // a safety net: the selector does not announce bytes already here
                }
                if (f.overdue(now)) {
                    if (f.staged.phase() == StagedTransport.Phase.HANDSHAKE) {
                        badInput.warn(f.staged.remote(), "closed a connection that did not complete its TLS handshake within "
                                + limits.handshakeTimeout().toMillis() + " ms");
                    }
                    f.requestClose(true);
                }
            }
        }
    }

    private final class GuardedSelectorThread extends SelectorThread {
        GuardedSelectorThread(int maxPendingAccepts) throws IOException {
            super(maxPendingAccepts);
        }

        @Override
        protected FrameBuffer createFrameBuffer(TNonblockingTransport trans, SelectionKey key, AbstractSelectThread thread)
                throws TTransportException {
            TNonblockingSocket socket = (TNonblockingSocket) trans;
            InetAddress remote = StagedTransport.remoteOf(socket);
            String refused = caps.tryAdmit(remote);
            Runnable onClose = refused == null ? () -> caps.release(remote) : () -> { };
            TlsLayer layer = tls.isInsecure() ? null : newLayer(socket, key);
            StagedTransport staged = new StagedTransport(socket, remote, limits.maxFrameBytes(), budget, badInput, clockMs,
                    onClose, layer);
            GuardedFrameBuffer frame = new GuardedFrameBuffer(staged, key, thread);
            if (refused != null) {
                refusals.warn(remote, refused);
                frame.close();
                key.cancel();
            } else {
                open.add(frame);
            }
            return frame;
        }
    }

    private TlsLayer newLayer(TNonblockingSocket socket, SelectionKey key) {
        SSLEngine engine = tls.sslContext().createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(tls.parameters());
        TlsLayer layer = new TlsLayer(engine, socket.getSocketChannel());
        layer.attach(key);
        return layer;
    }

    /**
     * A connection's frame buffer that can be closed from other threads, on its selector thread. With
     * TLS it also flushes handshake bytes while it reads, and reads the frames the TLS layer has
     * already decrypted when it goes back to reading (the selector does not announce those).
     */
    final class GuardedFrameBuffer extends AsyncFrameBuffer {
        private final StagedTransport staged;
        private volatile int closeRequest; // 0 none, 1 if still overdue, 2 unconditionally
        private volatile boolean bufferedReadRequest;

        GuardedFrameBuffer(StagedTransport staged, SelectionKey key, AbstractSelectThread thread) throws TTransportException {
            super(staged, key, thread);
            this.staged = staged;
        }

        /** Who sent this connection's calls. */
        Peer peer() {
            return staged.peer();
        }

        org.apache.thrift.server.ServerContext context() {
            return context_;
        }

        boolean overdue(long nowMs) {
            long in = nowMs - staged.phaseSinceMs();
            return switch (staged.phase()) {
                case HANDSHAKE -> in > limits.handshakeTimeout().toMillis();
                case IDLE -> in > limits.idleTimeout().toMillis();
                case RECEIVING -> in > limits.frameTimeout().toMillis();
                case IN_CALL -> false; // a parked long poll: its handler bounds it
            };
        }

        /** Has the selector thread read what the TLS layer holds already, if the frame buffer is reading. */
        void requestBufferedRead() {
            bufferedReadRequest = true;
            requestSelectInterestChange();
        }

        void requestClose(boolean onlyIfOverdue) {
            closeRequest = Math.max(closeRequest, onlyIfOverdue ? 1 : 2);
            requestSelectInterestChange();
        }

        @Override
        public void changeSelectInterests() {
            int request = closeRequest;
            if (request == 2 || (request == 1 && overdue(clockMs.getAsLong()))) {
                close();
                selectionKey_.cancel();
                return;
            }
            closeRequest = 0;
            if (bufferedReadRequest) {
                bufferedReadRequest = false;
                if (!readBuffered()) {
                    close();
                    selectionKey_.cancel();
                    return;
                }
            }
            // Thrift asks for an interest change only in its AWAITING_* states; the sweeper's
            // request may arrive without one, and Thrift logs an ERROR for those.
            if (String.valueOf((Object) state_).startsWith("AWAITING_")) {
                super.changeSelectInterests();
                if (!readBuffered()) {
                    close();
                    selectionKey_.cancel();
                }
            }
        }

        @Override
        public boolean write() {
            if (!"WRITING".equals(String.valueOf((Object) state_))) {
                // Reading, with TLS handshake bytes the socket could not take at once.
                boolean ok = staged.flushPending();
                if (ok && !staged.hasPendingOutput() && selectionKey_.isValid()) {
                    selectionKey_.interestOps(selectionKey_.interestOps() & ~SelectionKey.OP_WRITE);
                }
                return ok;
            }
            return super.write() && readBuffered();
        }

        /**
         * Reads and, once whole, invokes a frame the TLS layer holds already decrypted, if the frame
         * buffer is back to reading. False when the connection must close (the caller closes it).
         */
        private boolean readBuffered() {
            String state = String.valueOf((Object) state_);
            if (!(state.equals("READING_FRAME_SIZE") || state.equals("READING_FRAME")) || !staged.hasBufferedInput()
                    || !selectionKey_.isValid()) {
                return true;
            }
            return read() && (!isFrameFullyRead() || requestInvoke(this));
        }

        @Override
        public void close() {
            open.remove(this);
            super.close();
        }
    }
}
