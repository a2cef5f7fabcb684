package io.drover.coordinator.rpc;

import static org.awaitility.Awaitility.await;

import io.drover.coordinator.transport.BadInputGuard;
import io.drover.coordinator.transport.GuardedSelectorServer;
import io.drover.coordinator.transport.Peer;
import io.drover.coordinator.transport.TransportLimits;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.Sha256;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.ArtifactChunk;
import io.drover.protocol.thrift.ArtifactStatus;
import io.drover.protocol.thrift.ClientService;
import io.drover.protocol.thrift.HeartbeatReply;
import io.drover.protocol.thrift.ServerInfo;
import io.drover.protocol.thrift.droverConstants;
import io.drover.protocol.tls.TlsSettings;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.async.AsyncMethodCallback;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.server.TThreadedSelectorServer;
import org.apache.thrift.transport.TNonblockingServerSocket;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * The coordinator's real transport ({@link GuardedSelectorServer}, multiplexed async processors,
 * {@link BadInputGuard}) serving scripted handlers: hello answers as a leader, heartbeats park until
 * released (long polls), uploadChunk answers the SHA-256 of the bytes it got, fetchArtifact answers
 * as many bytes as asked. Every call's {@link Peer} is recorded.
 */
final class TlsTestServer implements AutoCloseable {
    private final TNonblockingServerSocket socket;
    private final GuardedSelectorServer server;
    private final Thread thread;
    final Queue<Peer> peers = new ConcurrentLinkedQueue<>();
    final Queue<AsyncMethodCallback<Object>> parked = new ConcurrentLinkedQueue<>();

    TlsTestServer(TlsSettings tls, TransportLimits limits) throws Exception {
        socket = new TNonblockingServerSocket(new InetSocketAddress("127.0.0.1", 0), 0, limits.maxFrameBytes());
        AgentService.AsyncIface agents = scripted(AgentService.AsyncIface.class);
        ClientService.AsyncIface clients = scripted(ClientService.AsyncIface.class);
        BadInputGuard processor = new BadInputGuard(new MultiplexedAsyncProcessor()
                .register(CoordinatorService.AGENT.name(), agents, new AgentService.AsyncProcessor<>(agents))
                .register(CoordinatorService.CLIENT.name(), clients, new ClientService.AsyncProcessor<>(clients)));
        TThreadedSelectorServer.Args args = new TThreadedSelectorServer.Args(socket)
                .selectorThreads(2)
                .workerThreads(2)
                .processor(processor)
                .transportFactory(new TFramedTransport.Factory(limits.maxFrameBytes()))
                .protocolFactory(new TCompactProtocol.Factory(limits.maxFrameBytes(), 1_000_000));
        server = new GuardedSelectorServer(args, limits, () -> System.nanoTime() / 1_000_000, tls);
        processor.attach(server);
        processor.onCall(peers::add);
        thread = new Thread(server::serve, "tls-test-server");
        thread.setDaemon(true);
        thread.start();
        await().atMost(Duration.ofSeconds(10)).until(server::isServing);
    }

    int port() {
        return socket.getPort();
    }

    GuardedSelectorServer transport() {
        return server;
    }

    /** Answers every parked heartbeat. */
    void releaseParked() {
        for (AsyncMethodCallback<Object> c = parked.poll(); c != null; c = parked.poll()) {
            c.onComplete(new HeartbeatReply());
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T scripted(Class<T> iface) {
        return (T) Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(this, args);
            }
            AsyncMethodCallback<Object> done = (AsyncMethodCallback<Object>) args[args.length - 1];
            switch (method.getName()) {
                case "hello" -> done.onComplete(new ServerInfo(droverConstants.PROTOCOL_VERSION,
                        droverConstants.PROTOCOL_VERSION, "tls-test", true, 1));
                case "heartbeat" -> parked.add(done);
                case "uploadChunk" -> {
                    ArtifactChunk chunk = (ArtifactChunk) args[0];
                    done.onComplete(new ArtifactStatus().setSha256(Sha256.hex(chunk.getData())));
                }
                case "fetchArtifact" -> done.onComplete(new ArtifactChunk().setSha256((String) args[0])
                        .setOffset((Long) args[1]).setData(pattern((Integer) args[2])));
                default -> done.onError(new TApplicationException(TApplicationException.UNKNOWN_METHOD,
                        method.getName() + " is not scripted in this test"));
            }
            return null;
        });
    }

    static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + (i >>> 8));
        }
        return b;
    }

    @Override
    public void close() throws Exception {
        releaseParked();
        server.stop();
        thread.join(5_000);
        socket.close();
    }

    static List<Peer> tlsPeers(Queue<Peer> peers) {
        return peers.stream().filter(Peer::tls).toList();
    }
}
