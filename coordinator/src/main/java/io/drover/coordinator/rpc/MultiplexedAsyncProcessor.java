package io.drover.coordinator.rpc;

import java.util.HashMap;
import java.util.Map;
import org.apache.thrift.AsyncProcessFunction;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TAsyncProcessor;
import org.apache.thrift.TBase;
import org.apache.thrift.TBaseAsyncProcessor;
import org.apache.thrift.TException;
import org.apache.thrift.TProcessor;
import org.apache.thrift.async.AsyncMethodCallback;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolException;
import org.apache.thrift.protocol.TProtocolUtil;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.server.AbstractNonblockingServer.AsyncFrameBuffer;

/**
 * Several async Thrift services on one non-blocking server: the async counterpart of
 * {@link org.apache.thrift.TMultiplexedProcessor}, which libthrift 0.17 offers for sync
 * processors only.
 *
 * <p>A call named {@code "Service:method"} (what {@link TMultiplexedProtocol} sends) goes to that
 * service. A call without a prefix (what releases before the split send) goes to the service that
 * owns the method; when two services share a method name, the one registered first answers it
 * (Drover's services share only {@code hello}, which both answer alike). Replies carry the bare
 * method name, as {@code TMultiplexedProcessor}'s do; clients match replies by sequence id.
 *
 * <p>Unknown services and methods get an {@code UNKNOWN_METHOD} application exception, as an
 * unknown method got from a single-service processor. Drover's IDL has no oneway methods, and this
 * processor does not support them (libthrift hides {@code isOneway} from other packages).
 */
final class MultiplexedAsyncProcessor implements TAsyncProcessor, TProcessor {
    /** One method of one service, with the handler that serves it. */
    private record Route(Object iface, AsyncProcessFunction<Object, TBase<?, ?>, Object> function) {
    }

    private final Map<String, Map<String, Route>> byService = new HashMap<>();
    private final Map<String, Route> unprefixed = new HashMap<>();

    /** Serves {@code processor}'s methods as {@code service}; call before the server starts. */
    <I> MultiplexedAsyncProcessor register(String service, I iface, TBaseAsyncProcessor<I> processor) {
        if (byService.containsKey(service)) {
            throw new IllegalArgumentException("service " + service + " is registered twice");
        }
        Map<String, Route> routes = new HashMap<>();
        processor.getProcessMapView().forEach((method, function) -> {
            @SuppressWarnings("unchecked") // the function was generated for iface's type
            var f = (AsyncProcessFunction<Object, TBase<?, ?>, Object>) (AsyncProcessFunction<?, ?, ?>) function;
            Route route = new Route(iface, f);
            routes.put(method, route);
            unprefixed.putIfAbsent(method, route);
        });
        byService.put(service, Map.copyOf(routes));
        return this;
    }

    @Override
    public void process(AsyncFrameBuffer frame) throws TException {
        TProtocol in = frame.getInputProtocol();
        TProtocol out = frame.getOutputProtocol();
        TMessage msg = in.readMessageBegin();
        Route route = route(msg.name);
        if (route == null || (msg.type != TMessageType.CALL && msg.type != TMessageType.ONEWAY)) {
            TProtocolUtil.skip(in, TType.STRUCT);
            in.readMessageEnd();
            String what = route == null ? "Invalid method name: '" + msg.name + "'" : "message type " + msg.type + " is not a call";
            fail(frame, out, msg, new TApplicationException(route == null ? TApplicationException.UNKNOWN_METHOD
                    : TApplicationException.INVALID_MESSAGE_TYPE, what));
            return;
        }
        AsyncProcessFunction<Object, TBase<?, ?>, Object> function = route.function();
        TBase<?, ?> args = function.getEmptyArgsInstance();
        try {
            args.read(in);
        } catch (TProtocolException e) {
            in.readMessageEnd();
            fail(frame, out, msg, new TApplicationException(TApplicationException.PROTOCOL_ERROR, e.getMessage()));
            return;
        }
        in.readMessageEnd();
        AsyncMethodCallback<Object> done = function.getResultHandler(frame, msg.seqid);
        try {
            function.start(route.iface(), args, done);
        } catch (Exception e) {
            done.onError(e);
        }
    }

    private Route route(String name) {
        int sep = name.indexOf(TMultiplexedProtocol.SEPARATOR);
        if (sep < 0) {
            return unprefixed.get(name);
        }
        Map<String, Route> routes = byService.get(name.substring(0, sep));
        return routes == null ? null : routes.get(name.substring(sep + TMultiplexedProtocol.SEPARATOR.length()));
    }

    private static void fail(AsyncFrameBuffer frame, TProtocol out, TMessage msg, TApplicationException x) throws TException {
        out.writeMessageBegin(new TMessage(bareName(msg.name), TMessageType.EXCEPTION, msg.seqid));
        x.write(out);
        out.writeMessageEnd();
        out.getTransport().flush();
        frame.responseReady();
    }

    private static String bareName(String name) {
        int sep = name.indexOf(TMultiplexedProtocol.SEPARATOR);
        return sep < 0 ? name : name.substring(sep + TMultiplexedProtocol.SEPARATOR.length());
    }

    /** Only the non-blocking server's async path is supported. */
    @Override
    public void process(TProtocol in, TProtocol out) throws TException {
        throw new TApplicationException(TApplicationException.INTERNAL_ERROR, "async processor: serve it on a non-blocking server");
    }
}
