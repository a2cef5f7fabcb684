package io.drover.coordinator.it;

import io.drover.coordinator.rpc.RpcEndpoints;
import io.drover.coordinator.transport.Peer;
import io.drover.coordinator.transport.PeerAware;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.server.ServerContext;
import org.apache.thrift.server.TServerEventHandler;
import org.apache.thrift.transport.TTransport;

/**
 * Stands in for TLS until the transport speaks it: calls from a loopback address given a
 * certificate here reach the RPC layer as if that peer had presented it. Everything else about the
 * connection (sockets, closing, the server's event handler) is the real thing.
 */
final class CertifiedPeers implements TServerEventHandler, PeerAware {
    private final TServerEventHandler inner;
    private final Map<InetAddress, X509Certificate> certificates = new ConcurrentHashMap<>();

    private CertifiedPeers(TServerEventHandler inner) {
        this.inner = inner;
    }

    /** Wraps the endpoints' connection events; the returned endpoints go to the server. */
    static RpcEndpoints wrap(RpcEndpoints endpoints, CertifiedPeers[] out) {
        CertifiedPeers peers = new CertifiedPeers(endpoints.connectionEvents());
        out[0] = peers;
        return new RpcEndpoints(endpoints.agents(), endpoints.clients(), peers, endpoints.closer());
    }

    void present(InetAddress from, X509Certificate certificate) {
        certificates.put(from, certificate);
    }

    @Override
    public void callFrom(Peer peer) {
        X509Certificate c = peer.remote() == null ? null : certificates.get(peer.remote());
        ((PeerAware) inner).callFrom(c == null ? peer : new Peer(peer.remote(), true, List.of(c)));
    }

    @Override
    public void preServe() {
        inner.preServe();
    }

    @Override
    public ServerContext createContext(TProtocol input, TProtocol output) {
        return inner.createContext(input, output);
    }

    @Override
    public void deleteContext(ServerContext context, TProtocol input, TProtocol output) {
        inner.deleteContext(context, input, output);
    }

    @Override
    public void processContext(ServerContext context, TTransport input, TTransport output) {
        inner.processContext(context, input, output);
    }
}
