package io.drover.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EndpointMemoryTest {
    private final Endpoint a = Endpoint.parse("127.0.0.1:7001");
    private final Endpoint b = Endpoint.parse("127.0.0.1:7002");

    @Test
    void anEndpointStaysSuspectUntilItAnswersAndOnlyInTheMemoryThatSawIt() {
        try (EndpointMemory agent = new EndpointMemory("t"); EndpointMemory other = new EndpointMemory("t")) {
            agent.suspect(a);

            assertThat(agent.isSuspect(a)).isTrue();
            assertThat(agent.isSuspect(b)).isFalse();
            assertThat(other.isSuspect(a)).as("another agent's or client's memory").isFalse();
            agent.answered(a);
            assertThat(agent.isSuspect(a)).isFalse();
        }
    }

    @Test
    void probeThreadsStartOnDemandAndStopWithTheMemory() {
        EndpointMemory memory = new EndpointMemory("probe-test");
        var probes = memory.probes();
        assertThat(memory.probes()).isSameAs(probes);

        memory.close();

        assertThat(probes.isShutdown()).isTrue();
        assertThat(memory.probes()).as("closed: no probing").isNull();
    }
}
