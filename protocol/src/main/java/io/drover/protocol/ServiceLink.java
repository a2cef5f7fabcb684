package io.drover.protocol;

import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.ServerInfo;
import io.drover.protocol.thrift.droverConstants;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TException;
import org.apache.thrift.TServiceClient;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open socket to one endpoint, and how its calls name their methods. At first under the
 * service's name; when the endpoint answers such a call with {@code UNKNOWN_METHOD} (a
 * coordinator of the previous release, which served one unmultiplexed service) the same call is
 * made once more with the bare name, and every later call on this socket is bare. The choice
 * lives as long as the socket: a reconnect tries the service's name again, so a coordinator
 * upgraded meanwhile is called properly. A call unknown by its bare name too is
 * {@link UnknownMethodException}: refused, never retried.
 *
 * @param <C> the service's generated client type
 */
final class ServiceLink<C extends TServiceClient> {
    private static final Logger log = LoggerFactory.getLogger(CoordinatorConnection.class);

    private final CoordinatorService<C> service;
    private final Endpoint endpoint;
    private final Supplier<String> token;
    /** Endpoints last found speaking the previous release's protocol, shared by the process's connections. */
    private final Set<Endpoint> previousRelease;
    private final MethodNames wire;
    private C client;
    private boolean bare;

    ServiceLink(CoordinatorService<C> service, Endpoint endpoint, TSocket socket, Supplier<String> token,
                Set<Endpoint> previousRelease) throws TTransportException {
        this.service = service;
        this.endpoint = endpoint;
        this.token = token;
        this.previousRelease = previousRelease;
        this.wire = new MethodNames(new TCompactProtocol(new TFramedTransport(socket, WireLimits.MAX_FRAME_BYTES)));
        this.client = service.client(wire);
    }

    <T> T apply(CoordinatorConnection.Call<C, T> call) throws TException {
        try {
            return call.apply(client);
        } catch (TApplicationException e) {
            if (e.getType() != TApplicationException.UNKNOWN_METHOD) {
                throw e;
            }
            if (bare) {
                throw new UnknownMethodException(endpoint, wire.lastMethod(), e);
            }
            // The reply was read whole: the socket is in step, and the bare call goes on it.
            bare = true;
            client = service.unprefixedClient(wire);
            if (previousRelease.add(endpoint)) {
                log.info("{} speaks the previous release's protocol (no service names); calling it without them",
                        endpoint);
            }
        }
        try {
            return call.apply(client);
        } catch (TApplicationException e) {
            if (e.getType() == TApplicationException.UNKNOWN_METHOD) {
                throw new UnknownMethodException(endpoint, wire.lastMethod(), e);
            }
            throw e;
        }
    }

    /** The handshake, the first call on every socket: it settles the naming for the socket's life. */
    ServerInfo hello(String name) throws TException {
        Hello hello = new Hello(droverConstants.PROTOCOL_VERSION, name);
        String t = token.get();
        if (t != null) {
            hello.setToken(t);
        }
        ServerInfo info = apply(c -> service.hello(c, hello));
        if (!bare) {
            previousRelease.remove(endpoint); // upgraded: log again should it ever be rolled back
        }
        return info;
    }
}
