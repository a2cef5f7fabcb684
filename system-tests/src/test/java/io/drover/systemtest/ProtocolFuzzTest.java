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
import picocli.CommandLine;

/**
 * About 100,000 malformed frames of ten kinds (bin/drover bench-fuzz) against a real coordinator
 * process with a 256 MiB heap and one agent: no leadership change, no OutOfMemoryError, the
 * coordinator answers and runs a job after each kind, and its heap after a full GC ends within 10%
 * of where it started (or below 16 MiB: a few MiB of noise is not a leak).
 */
class ProtocolFuzzTest {
    private Path dir;
    private TestingServer zk;
    private ProcessCluster cluster;

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("drover-fuzz-");
        zk = new TestingServer(true);
        // Plaintext, as bench-fuzz: the frames reach the Thrift decoder, which is what this fuzzes.
        cluster = new ProcessCluster(zk.getConnectString(), dir, "3s").insecure().startCoordinators(1).startAgents(1, 2);
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.leader().isPresent());
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
        zk.close();
        Directories.deleteTree(dir);
    }

    @Test
    void aHundredThousandMalformedFramesNeitherStopNorMoveTheLeader() throws Exception {
        FuzzBenchCommand fuzz = new FuzzBenchCommand();
        new CommandLine(fuzz).parseArgs("--hold", "5s");
        DroverProcess coordinator = cluster.coordinators().get(0);

        FuzzVerdict verdict = fuzz.run(cluster, coordinator, Endpoint.parse(cluster.endpointOf(coordinator)));

        System.out.println(verdict);
        assertThat(verdict.frames()).isGreaterThanOrEqualTo(100_000);
        assertThat(verdict.leadershipChanges()).as(verdict.kinds().toString()).isZero();
        assertThat(verdict.failures()).as(String.join("\n", verdict.kinds())).isEmpty();
        assertThat(verdict.after().threads()).as("threads after").isLessThanOrEqualTo(verdict.before().threads() + 8);
    }
}
