package io.drover.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.protocol.thrift.AgentView;
import io.drover.testkit.ElectableStandby;
import io.drover.testkit.FakeClientService;
import io.drover.testkit.FrozenEndpoint;
import io.drover.testkit.LoopbackServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client with default settings, a frozen old leader listed first and a standby that points at it
 * until elected: the call must be answered by the new leader about a second after its election,
 * not after the old 30 s call timeout.
 */
class FrozenLeaderClientTest {
    private static final Duration ELECTION = Duration.ofSeconds(2);
    private static final Duration BOUND = ELECTION.plusSeconds(4);

    @Test
    void aCallReachesTheNewLeaderSoonAfterItIsElected() {
        FakeClientService fake = FakeClientService.leader();
        fake.addAgent(new AgentView().setAgentId("a1").setHost("h1").setState("ALIVE"));
        long started = System.nanoTime();
        try (FrozenEndpoint frozen = new FrozenEndpoint();
             LoopbackServer standby = ElectableStandby.serve(fake,
                     () -> System.nanoTime() - started > ELECTION.toNanos(), frozen.endpoint());
             DroverClient client = DroverClient.builder().endpoints(List.of(frozen.endpoint(), standby.endpoint())).build()) {
            List<AgentStatus> agents = client.agents();
            long answeredMs = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("frozen leader: elected at %d ms, client answered at %d ms%n", ELECTION.toMillis(), answeredMs);
            assertThat(agents).extracting(AgentStatus::agentId).containsExactly("a1");
            assertThat(Duration.ofMillis(answeredMs)).isLessThan(BOUND);
        }
    }
}
