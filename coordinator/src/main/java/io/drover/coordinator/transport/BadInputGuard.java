package io.drover.coordinator.transport;

import org.apache.thrift.TAsyncProcessor;
import org.apache.thrift.TException;
import org.apache.thrift.TProcessor;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.server.AbstractNonblockingServer.AsyncFrameBuffer;

/**
 * Wraps the async processor so a frame that cannot be decoded (garbage, nesting too deep, a string
 * longer than the frame) closes its connection with one rate-limited line, instead of Thrift's WARN
 * with a full stack trace per frame. Handler failures never get here: the processor answers those.
 */
public final class BadInputGuard implements TAsyncProcessor, TProcessor {
    private final TAsyncProcessor delegate;
    private GuardedSelectorServer server;
    private PeerAware peers = peer -> { };

    public <P extends TAsyncProcessor & TProcessor> BadInputGuard(P delegate) {
        this.delegate = delegate;
    }

    /** The server whose connections this guards; set once, before it serves. */
    public void attach(GuardedSelectorServer s) {
        this.server = s;
    }

    /** Told the peer of every call before its handler runs; set once, before the server serves. */
    public void onCall(PeerAware p) {
        this.peers = p;
    }

    @Override
    public void process(AsyncFrameBuffer frame) throws TException {
        if (frame instanceof GuardedSelectorServer.GuardedFrameBuffer g) {
            peers.callFrom(g.peer());
        }
        try {
            delegate.process(frame);
        } catch (OutOfMemoryError e) {
            // Thrift catches every Throwable of a call and logs it: hand this one to the process's
            // fatal-error handler first (ProcessExit's ends the process).
            Thread.UncaughtExceptionHandler h = Thread.getDefaultUncaughtExceptionHandler();
            if (h != null) {
                h.uncaughtException(Thread.currentThread(), e);
            }
            throw e;
        } catch (TException | RuntimeException | StackOverflowError e) {
            if (!(frame instanceof GuardedSelectorServer.GuardedFrameBuffer g) || server == null) {
                throw e;
            }
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
            server.rejectBadInput(g, "closed a connection after an undecodable request (" + abbreviate(why) + ")");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    @Override
    public void process(TProtocol in, TProtocol out) throws TException {
        ((TProcessor) delegate).process(in, out);
    }
}
