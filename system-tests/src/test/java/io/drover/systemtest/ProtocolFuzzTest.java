package io.drover.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.bench.cluster.DroverProcess;
import io.drover.bench.cluster.ProcessCluster;
import io.drover.bench.fuzz.FuzzBenchCommand;
import io.drover.bench.fuzz.FuzzVerdict;
import io.drover.cli.demo.Directories;
import io.drover.protocol.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import picocli.CommandLine;

/**
 * About 50,000 malformed frames (half of bin/drover bench-fuzz's default) against each kind of port of a real
 * coordinator process with a 256 MiB heap and one agent: the plaintext port of an --insecure
 * cluster, and the TLS port of a secure one (garbage before any handshake; malformed frames inside
 * 1,400 TLS sessions, a handshake each, bounded to keep the test near 2 minutes on 2 cores;
 * handshakes never finished, which its handshake timeout must close). For both: no leadership
 * change, no OutOfMemoryError, the coordinator answers and runs a job after each kind, its heap after
 * a full GC ends within 10% of where it started (or below 16 MiB more: a few MiB of noise is not a
 * leak) and its threads return.
 */
// Counts the coordinator's heap and threads and loads the CPU with TLS handshakes: nothing else runs beside it.
@Isolated
class ProtocolFuzzTest {
    private Path dir;
    private TestingServer zk;
    private ProcessCluster cluster;

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("drover-fuzz-");
        zk = new TestingServer(true);
    }

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        zk.close();
        Directories.deleteTree(dir);
    }

    @Test
    void fiftyThousandMalformedFramesOnThePlaintextPortNeitherStopNorMoveTheLeader() throws Exception {
        cluster = new ProcessCluster(zk.getConnectString(), dir, "3s").insecure();

        FuzzVerdict verdict = fuzz(cluster, "--scale", "0.5", "--hold", "3s");

        assertHealthy(verdict);
        assertThat(verdict.port()).isEqualTo("plaintext");
    }

    @Test
    void fiftyThousandMalformedFramesOnTheTlsPortNeitherStopNorMoveTheLeader() throws Exception {
        cluster = new ProcessCluster(zk.getConnectString(), dir, "3s");

        FuzzVerdict verdict = fuzz(cluster, "--tls", "--scale", "0.5", "--hold", "3s", "--handshake-timeout", "2s",
                "--session-frames", "1000");

        assertHealthy(verdict);
        assertThat(verdict.port()).isEqualTo("tls");
        assertThat(verdict.sessionFrames()).as("frames inside TLS sessions").isGreaterThanOrEqualTo(900);
        assertThat(verdict.handshakes()).as("TLS handshakes").isGreaterThanOrEqualTo(verdict.sessionFrames());
    }

    /** Starts one coordinator (with the handshake timeout the fuzz expects) and one agent, then fuzzes it. */
    private static FuzzVerdict fuzz(ProcessCluster cluster, String... args) throws Exception {
        FuzzBenchCommand fuzz = new FuzzBenchCommand();
        new CommandLine(fuzz).parseArgs(args);
        cluster.startCoordinators(1, "--handshake-timeout", "2s").startAgents(1, 2);
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.leader().isPresent());
        DroverProcess coordinator = cluster.coordinators().get(0);

        FuzzVerdict verdict = fuzz.run(cluster, coordinator, Endpoint.parse(cluster.endpointOf(coordinator)));

        System.out.println(verdict);
        return verdict;
    }

    private static void assertHealthy(FuzzVerdict verdict) {
        // Half the benchmark's ~100,000 (every kind, half as many of each) keeps CI inside its time budget;
        // `bin/drover bench-fuzz [--tls]` runs the whole amount.
        assertThat(verdict.frames()).isGreaterThanOrEqualTo(50_000);
        assertThat(verdict.leadershipChanges()).as(verdict.kinds().toString()).isZero();
        assertThat(verdict.failures()).as(String.join("\n", verdict.kinds())).isEmpty();
        assertThat(verdict.after().threads()).as("threads after").isLessThanOrEqualTo(verdict.before().threads() + 8);
    }
}
