package io.drover.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.Agent;
import io.drover.agent.AgentConfig;
import io.drover.protocol.Endpoint;
import io.drover.protocol.thrift.Outcome;
import io.drover.testkit.ElectableStandby;
import io.drover.testkit.FakeAgentService;
import io.drover.testkit.FrozenEndpoint;
import io.drover.testkit.LoopbackServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent whose coordinators are a frozen old leader (accepts connections, never answers) and a
 * standby that still points at it until it is elected: the agent must reach the new leader within
 * about a second of its election, not after its socket timeouts (formerly 20 s for the poll link,
 * 60 s for reports).
 */
class FrozenLeaderFailoverTest {
    private static final Duration ELECTION = Duration.ofSeconds(2);
    /** Election plus the few hundred ms the retry loop may need, with room for a loaded machine. */
    private static final Duration BOUND = ELECTION.plusSeconds(4);

    @TempDir
    Path workDir;

    @Test
    void registersAndReportsViaTheNewLeaderSoonAfterItIsElected() throws InterruptedException {
        FakeAgentService fake = new FakeAgentService();
        fake.addProcessJob("quick", List.of("/bin/true"), 1, 0, List.of());
        long started = System.nanoTime();
        try (FrozenEndpoint frozen = new FrozenEndpoint();
             LoopbackServer standby = ElectableStandby.serve(fake,
                     () -> System.nanoTime() - started > ELECTION.toNanos(), frozen.endpoint())) {
            AgentConfig config = AgentConfig.of("frozen-test", "localhost",
                    List.of(Endpoint.parse(frozen.endpoint()), Endpoint.parse(standby.endpoint())), 1, Map.of(), workDir)
                    .withPollWait(Duration.ofSeconds(2));
            Agent agent = new Agent(config);
            try {
                agent.start();
                assertThat(agent.awaitRegistered(BOUND)).as("registered within %s", BOUND).isTrue();
                long registeredMs = (System.nanoTime() - started) / 1_000_000;
                long attempt = fake.assign("frozen-test", "quick", 0, null);
                await().atMost(BOUND).until(() -> fake.result(attempt).isPresent());
                long reportedMs = (System.nanoTime() - started) / 1_000_000;
                System.out.printf("frozen leader: elected at %d ms, agent registered at %d ms, result at %d ms%n",
                        ELECTION.toMillis(), registeredMs, reportedMs);
                assertThat(fake.result(attempt).orElseThrow().getOutcome()).isEqualTo(Outcome.SUCCEEDED);
                assertThat(agent.coordinator()).contains(standby.endpoint());
            } finally {
                agent.close();
            }
        }
    }
}
