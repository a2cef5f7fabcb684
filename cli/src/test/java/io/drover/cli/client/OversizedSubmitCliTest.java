package io.drover.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.cli.DroverCli;
import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.droverConstants;
import io.drover.sdk.DroverClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.TestingServer;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code drover submit} with a spec too large to store (labels of 120 KB) or too large to send (a
 * 20 MB request, beyond the frame limit) against a real coordinator: a clear error at once (exit
 * code 2), no retries, nothing written, and the leader keeps its epoch.
 */
class OversizedSubmitCliTest {
    private TestingServer zk;
    private CoordinatorServer coordinator;
    private StringWriter err;

    @BeforeEach
    void start() throws Exception {
        zk = new TestingServer(true);
        coordinator = new CoordinatorServer(CoordinatorConfig.defaults(zk.getConnectString()).withListen("127.0.0.1", 0)
                .withSessionTimeout(Duration.ofSeconds(3)), Clock.systemUTC()).start();
        await().atMost(Duration.ofSeconds(20)).until(coordinator::isLeader);
    }

    @AfterEach
    void stop() throws Exception {
        coordinator.close();
        zk.close();
    }

    private int drover(List<String> args) {
        err = new StringWriter();
        CommandLine cl = DroverCli.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true)).setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(args);
        all.add("--coordinators=" + coordinator.endpoint());
        all.add("--retry-deadline=20s");
        return cl.execute(all.toArray(String[]::new));
    }

    @Test
    void tenLabelsOf120KilobytesAreRefusedAtOnceAndTheLeaderStays() throws Exception {
        long epoch = epoch();
        List<String> args = new ArrayList<>(List.of("submit", "--command", "/bin/true"));
        for (int i = 0; i < 10; i++) {
            args.add("--label");
            args.add("k" + i + "=" + "v".repeat(120_000));
        }
        long started = System.nanoTime();
        int code = drover(args);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(code).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).contains("requiredLabels").contains("1024");
        assertThat(tookMs).as("no retries").isLessThan(5_000);
        assertNothingWrittenAndLeaderKept(epoch);
    }

    @Test
    void aRequestBeyondTheFrameLimitFailsBeforeSendingInsteadOfRetrying() throws Exception {
        long epoch = epoch();
        List<String> args = new ArrayList<>(List.of("submit", "--command", "/bin/true"));
        for (int i = 0; i < 200; i++) { // 20 MB: more than the 16 MiB frame either side accepts
            args.add("--arg");
            args.add("a".repeat(100_000));
        }
        long started = System.nanoTime();
        int code = drover(args);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(code).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).contains("bytes").contains(String.valueOf(WireLimits.MAX_FRAME_BYTES));
        assertThat(tookMs).as("no retries").isLessThan(5_000);
        assertNothingWrittenAndLeaderKept(epoch);
    }

    private void assertNothingWrittenAndLeaderKept(long epoch) throws Exception {
        try (DroverClient client = DroverClient.connect(coordinator.endpoint())) {
            assertThat(client.jobs(10)).isEmpty();
        }
        assertThat(coordinator.isLeader()).isTrue();
        assertThat(epoch()).as("same epoch: no leadership change").isEqualTo(epoch);
    }

    private long epoch() throws Exception {
        try (TSocket socket = new TSocket(WireLimits.configuration(), "127.0.0.1", coordinator.port(), 5_000, 5_000)) {
            socket.open();
            return CoordinatorService.CLIENT.client(new TCompactProtocol(new TFramedTransport(socket, WireLimits.MAX_FRAME_BYTES)))
                    .hello(new Hello(droverConstants.PROTOCOL_VERSION, "probe")).getEpoch();
        }
    }
}
