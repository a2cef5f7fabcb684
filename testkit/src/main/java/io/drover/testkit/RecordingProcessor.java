package io.drover.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.TException;
import org.apache.thrift.TProcessor;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolDecorator;
import org.apache.thrift.transport.TTransportException;

/**
 * A processor that records the method name of every message it receives, as sent on the wire
 * ({@code "AgentService:hello"} or a bare {@code "hello"}), before handing the message to the
 * processor it serves. {@link #restartAs} stands for a coordinator restarted on the same port
 * with another release: the connections open now are dropped at their next message, and new
 * ones are served by the new processor.
 */
public final class RecordingProcessor implements TProcessor {
    private final List<String> names = new ArrayList<>();
    private volatile TProcessor serving;
    private volatile TProcessor previous;
    private volatile long generation;
    /** The generation each connection (by its transport) was opened in: read at its first message. */
    private final Map<TTransport, Long> openedIn = Collections.synchronizedMap(new WeakHashMap<>());

    public RecordingProcessor(TProcessor serving) {
        this.serving = serving;
    }

    /** The method names received so far, in order. */
    public synchronized List<String> names() {
        return List.copyOf(names);
    }

    /** From now on serves {@code next}; a connection opened before this is dropped at its next message. */
    public void restartAs(TProcessor next) {
        previous = serving;
        serving = next;
        generation++;
    }

    @Override
    public void process(TProtocol in, TProtocol out) throws TException {
        // Per connection, not per call: the server may re-enter process() for the next message only
        // after restartAs, and that connection must still count as opened before the restart.
        long seen = openedIn.computeIfAbsent(in.getTransport(), t -> generation);
        TProcessor p = seen == generation ? serving : previous;
        p.process(new TProtocolDecorator(in) {
            @Override
            public TMessage readMessageBegin() throws TException {
                TMessage m = super.readMessageBegin();
                synchronized (RecordingProcessor.this) {
                    names.add(m.name);
                }
                if (generation != seen) {
                    throw new TTransportException(TTransportException.END_OF_FILE, "restarted");
                }
                return m;
            }
        }, out);
    }
}
