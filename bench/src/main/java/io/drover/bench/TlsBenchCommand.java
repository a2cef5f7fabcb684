package io.drover.bench;

import io.drover.cli.demo.Directories;
import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.coordinator.EmbeddedZooKeeper;
import io.drover.coordinator.transport.TransportLimits;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.ClientService;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.droverConstants;
import io.drover.protocol.tls.TlsSettings;
import io.drover.protocol.tls.TlsSockets;
import io.drover.security.ClusterCa;
import io.drover.security.IssuedCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drover bench-tls}: what TLS costs a coordinator per connection. Connections that complete a
 * TLS 1.3 handshake and a hello per second (each a new socket, as a client command makes), then the
 * heap per idle TLS connection after its hello (what a parked long poll costs between its frames).
 * Clients run in the same JVM, so the heap figure holds both ends of each connection; run with
 * {@code --insecure} for the plaintext figures to compare.
 */
@Command(name = "bench-tls", mixinStandardHelpOptions = true,
        description = {"TLS cost per connection: handshakes+hello per second, heap per idle connection.",
                "Last line: transport=T handshakes_per_s=R connections=N heap_per_connection_bytes=B (both ends)"})
public final class TlsBenchCommand implements Callable<Integer> {
    @Option(names = "--seconds", defaultValue = "10", description = "Seconds of handshakes. Default: ${DEFAULT-VALUE}")
    int seconds;

    @Option(names = "--threads", defaultValue = "4", description = "Client threads making connections. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--connections", defaultValue = "1000", description = "Idle connections held for the heap figure. "
            + "Default: ${DEFAULT-VALUE}")
    int connections;

    @Option(names = "--insecure", description = "Plaintext, for the baseline.")
    boolean insecure;

    @Override
    public Integer call() throws Exception {
        ClusterCa ca = ClusterCa.create("drover-bench", Clock.systemUTC());
        IssuedCredentials server = ca.issueServer(List.of("127.0.0.1", "localhost"), Duration.ofDays(1));
        TlsSettings client = insecure ? TlsSettings.insecure() : TlsSettings.client(ca.certificate());
        Path dir = Files.createTempDirectory("drover-bench-tls-");
        TransportLimits limits = TransportLimits.defaults().withConnectionCaps(connections + 256, connections + 1024);
        try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper(dir.resolve("zk"), 0)) {
            CoordinatorServer coordinator = new CoordinatorServer(CoordinatorConfig.defaults(zk.connectString())
                    .withListen("127.0.0.1", 0).withTransport(limits), Clock.systemUTC())
                    .withTls(insecure ? TlsSettings.insecure()
                            : TlsSettings.server(server.keyPair().getPrivate(), server.chain(), ca.certificate())).start();
            try {
                if (!coordinator.awaitLeadership(Duration.ofSeconds(30))) {
                    throw new IllegalStateException("no leader within 30 s");
                }
                double rate = handshakesPerSecond(client, coordinator.port());
                long heap = heapPerConnection(client, coordinator.port());
                System.out.printf(Locale.ROOT, "transport=%s handshakes_per_s=%.0f connections=%d heap_per_connection_bytes=%d%n",
                        insecure ? "plaintext" : TlsSettings.PROTOCOL, rate, connections, heap);
                return 0;
            } finally {
                coordinator.close();
            }
        } finally {
            Directories.deleteTree(dir);
        }
    }

    private double handshakesPerSecond(TlsSettings client, int port) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        LongAdder done = new LongAdder();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long t0 = System.nanoTime();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() - end < 0) {
                        TSocket s = connectWithHello(client, port);
                        s.close();
                        done.increment();
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return done.sum() / ((System.nanoTime() - t0) / 1e9);
    }

    private long heapPerConnection(TlsSettings client, int port) throws Exception {
        long before = usedHeapAfterGc();
        List<TSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                open.add(connectWithHello(client, port));
            }
            return (usedHeapAfterGc() - before) / Math.max(1, connections);
        } finally {
            open.forEach(TSocket::close);
        }
    }

    private static TSocket connectWithHello(TlsSettings client, int port) throws TException {
        TSocket s = TlsSockets.open(client, "127.0.0.1", port, 10_000, 5_000);
        try {
            CoordinatorService.CLIENT.client(new TCompactProtocol(new TFramedTransport(s, WireLimits.MAX_FRAME_BYTES)))
                    .hello(new Hello(droverConstants.PROTOCOL_VERSION, "bench-tls"));
            return s;
        } catch (TException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            BenchSupport.pause(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
