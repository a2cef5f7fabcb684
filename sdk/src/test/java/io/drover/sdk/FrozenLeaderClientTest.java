package io.drover.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.protocol.CallDeadlines;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.thrift.AgentView;
import io.drover.protocol.thrift.ClientService;
import io.drover.testkit.ElectableStandby;
import io.drover.testkit.FakeClientService;
import io.drover.testkit.FrozenEndpoint;
import io.drover.testkit.LoopbackServer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
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

    @Test
    void aCallStuckOnALeaderThatFreezesMovesToTheNewOneWellBeforeItsDeadline() throws Exception {
        FakeClientService fake = FakeClientService.leader();
        fake.addAgent(new AgentView().setAgentId("a1").setHost("h1").setState("ALIVE"));
        CountDownLatch thaw = new CountDownLatch(1);
        AtomicBoolean frozen = new AtomicBoolean();
        // The old leader: answers until frozen, then holds every call (as a SIGSTOPped process would).
        ClientService.Iface freezable = (ClientService.Iface) Proxy.newProxyInstance(ClientService.Iface.class.getClassLoader(),
                new Class<?>[] {ClientService.Iface.class}, (self, method, args) -> {
                    if (frozen.get()) {
                        thaw.await();
                    }
                    try {
                        return method.invoke(fake, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (LoopbackServer old = LoopbackServer.start(LoopbackServer.service(CoordinatorService.CLIENT,
                     new ClientService.Processor<>(freezable)), LoopbackServer.bindLoopback(), thaw::countDown);
             LoopbackServer standby = ElectableStandby.serve(fake, frozen::get, old.endpoint());
             DroverClient client = DroverClient.builder().endpoints(List.of(old.endpoint(), standby.endpoint())).build()) {
            assertThat(client.agents()).hasSize(1); // connected to the old leader
            frozen.set(true); // frozen, and the standby elected in the same instant
            long started = System.nanoTime();
            List<AgentStatus> agents = client.agents();
            long answeredMs = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("leader frozen mid-session: call answered by the new leader after %d ms (call deadline %d ms)%n",
                    answeredMs, CallDeadlines.DEFAULTS.call().toMillis());
            assertThat(agents).hasSize(1);
            assertThat(Duration.ofMillis(answeredMs)).isLessThan(CallDeadlines.DEFAULTS.call().minusSeconds(2));
        }
    }
}
