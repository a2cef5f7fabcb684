package io.drover.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many agents a secure coordinator lets join per second, one after another, each as
 * {@code drover agent --join-token} does it (a new EC key, a signing request, a TLS connection, the
 * join recorded on ZooKeeper, the identity stored): a figure for the notes, not a limit to assert.
 */
class AgentJoinRateTest {
    private static final int JOINS = 50;

    @TempDir
    Path dir;

    @Test
    void fiftyAgentsJoinOneAfterAnother() throws Exception {
        try (SecureGrid grid = SecureGrid.start(dir, Duration.ofHours(24))) {
            String token = grid.joinToken(0);
            grid.establish(grid.agentConfig("warm-up", 1), token).close(); // class loading, first TLS context
            long t0 = System.nanoTime();
            for (int i = 0; i < JOINS; i++) {
                grid.establish(grid.agentConfig("j" + i, 1), token).close();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("agent joins: %d sequential joins in %.2f s: %.1f joins/s (%.0f ms each)%n", JOINS, seconds,
                    JOINS / seconds, seconds * 1000 / JOINS);
            for (int i = 0; i < JOINS; i++) {
                assertThat(dir.resolve("j" + i).resolve("identity").resolve("agent.pem")).exists();
            }
        }
    }
}
