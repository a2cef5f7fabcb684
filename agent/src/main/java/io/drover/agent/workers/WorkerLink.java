package io.drover.agent.workers;

import io.drover.agent.worker.WorkerMain;
import io.drover.protocol.worker.WorkerHello;
import io.drover.protocol.worker.WorkerService;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * The agent's end of one worker connection. Built on a {@link SocketChannel}, so a task thread
 * blocked in a call is woken by an interrupt (cancel, timeout, shutdown): the channel closes and
 * the call fails at once, whatever the worker is doing.
 */
final class WorkerLink implements AutoCloseable {
    private final SocketChannel channel;
    private final TFramedTransport transport;
    private final WorkerService.Client client;
    private final int protocolVersion;

    private WorkerLink(SocketChannel channel, TFramedTransport transport, int protocolVersion) {
        this.channel = channel;
        this.transport = transport;
        this.client = new WorkerService.Client(new TCompactProtocol(transport));
        this.protocolVersion = protocolVersion;
    }

    /** Wraps an accepted connection and reads the worker's hello, waiting at most {@code timeoutMs}. */
    static Greeting accept(SocketChannel channel, int timeoutMs) throws IOException, TTransportException {
        channel.socket().setTcpNoDelay(true);
        channel.socket().setSoTimeout(timeoutMs);
        TFramedTransport transport = new TFramedTransport(new TSocket(channel.socket()), WorkerMain.MAX_FRAME_BYTES);
        TProtocol protocol = new TCompactProtocol(transport);
        WorkerHello hello = new WorkerHello();
        try {
            hello.read(protocol);
        } catch (TTransportException e) {
            throw e;
        } catch (org.apache.thrift.TException e) {
            throw new TTransportException("not a worker hello: " + e.getMessage(), e);
        }
        channel.socket().setSoTimeout(0); // tasks run as long as their timeout allows
        return new Greeting(hello, new WorkerLink(channel, transport, hello.getProtocolVersion()));
    }

    /** What a connecting worker said, and the link to use if it is the one expected. */
    record Greeting(WorkerHello hello, WorkerLink link) {
    }

    /** Protocol 1 (an older worker): one synchronous call per task. */
    WorkerService.Client client() {
        return client;
    }

    /** Whether the worker speaks protocol 2 or later: tasks queued in it, answers streamed back ({@link TaskPipe}). */
    boolean pipelined() {
        return protocolVersion >= 2;
    }

    /** The protocol 2 pipe on this connection; opened once, right after the hello. */
    TaskPipe openPipe(String name, Runnable onBreak) throws TTransportException {
        return new TaskPipe(channel.socket(), name, protocolVersion, onBreak);
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    /** Closes the connection (the socket under the transport is the channel's). */
    @Override
    public void close() {
        transport.close();
    }
}
