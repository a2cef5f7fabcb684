package io.drover.coordinator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.protocol.CoordinatorConnection;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.Endpoint;
import io.drover.protocol.RequestRefusedException;
import io.drover.protocol.thrift.AgentRegistration;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.AgentView;
import io.drover.protocol.thrift.JobView;
import io.drover.protocol.thrift.ClientService;
import io.drover.protocol.thrift.droverConstants;
import io.drover.sdk.DroverClient;
import io.drover.testkit.FakeAgentService;
import io.drover.testkit.FakeClientService;
import io.drover.testkit.LoopbackServer;
import io.drover.testkit.RecordingProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.thrift.ProcessFunction;
import org.apache.thrift.TBase;
import org.apache.thrift.TBaseProcessor;
import org.apache.thrift.TProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * During a rolling upgrade this release's agents and clients may reach a coordinator of the previous
 * release, which served one plain (unmultiplexed) processor: a prefixed name such as
 * {@code "AgentService:hello"} is an unknown method to it. {@link CoordinatorConnection} then calls
 * that endpoint with bare names, until it reconnects. The servers here are real loopback Thrift
 * servers (framed, compact) serving the testkit's fakes; a {@link RecordingProcessor} records the
 * method names as they arrived on the wire.
 */
class PreviousReleaseCoordinatorTest {
    /** Long enough that a fallback looping until the deadline would show, short enough to fail fast. */
    private static final Duration RETRY_DEADLINE = Duration.ofSeconds(20);

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void anAgentCallsAPreviousReleaseCoordinatorWithBareNames() {
        FakeAgentService fake = new FakeAgentService();
        RecordingProcessor old = new RecordingProcessor(new AgentService.Processor<>(fake));
        LoopbackServer server = serve(old, () -> { });
        CoordinatorConnection<AgentService.Client> agent = connection(CoordinatorService.AGENT, server);

        long started = System.nanoTime();
        agent.call(c -> {
            c.registerAgent(registration("ag1"));
            return null;
        });
        agent.call(Duration.ofSeconds(3), c -> {
            c.registerAgent(registration("ag2"));
            return null;
        });

        assertThat(fake.registrations()).extracting(AgentRegistration::getAgentId).containsExactly("ag1", "ag2");
        assertThat(old.names()).as("one prefixed hello, then bare names, remembered")
                .containsExactly("AgentService:hello", "hello", "registerAgent", "registerAgent");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(RETRY_DEADLINE.dividedBy(2));
    }

    @Test
    void aClientCallsAPreviousReleaseCoordinatorWithBareNames() {
        FakeClientService fake = FakeClientService.leader();
        RecordingProcessor old = new RecordingProcessor(previousReleaseProcessor(fake));
        LoopbackServer server = serve(old, () -> { });
        CoordinatorConnection<ClientService.Client> client = connection(CoordinatorService.CLIENT, server);

        assertThat(jobs(client, 10)).isEmpty();
        assertThat(client.<List<AgentView>>call(c -> c.listAgents())).isEmpty();

        assertThat(old.names()).containsExactly("ClientService:hello", "hello", "listJobs", "listAgents");
    }

    @Test
    void storeStatsIsEmptyFromAPreviousReleaseCoordinatorWithoutRetries() {
        FakeClientService fake = FakeClientService.leader();
        RecordingProcessor old = new RecordingProcessor(previousReleaseProcessor(fake));
        LoopbackServer server = serve(old, () -> { });
        DroverClient client = DroverClient.builder().endpoints(server.endpoint()).retryDeadline(RETRY_DEADLINE).build();
        open.add(client);

        long started = System.nanoTime();
        assertThat(client.storeStats()).isEmpty();
        assertThat(client.jobs(5)).isEmpty();

        assertThat(old.names()).as("storeStats is unknown to the previous release: asked once")
                .containsExactly("ClientService:hello", "hello", "storeStats", "listJobs");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(RETRY_DEADLINE.dividedBy(2));
    }

    @Test
    void taskStreamIsEmptyFromAPreviousReleaseCoordinator() {
        FakeClientService fake = FakeClientService.leader();
        RecordingProcessor old = new RecordingProcessor(previousReleaseProcessor(fake));
        LoopbackServer server = serve(old, () -> { });
        DroverClient client = DroverClient.builder().endpoints(server.endpoint()).retryDeadline(RETRY_DEADLINE).build();
        open.add(client);

        assertThat(client.taskStream("j1-1", 200, 2_000)).isEmpty();
        assertThat(old.names()).containsExactly("ClientService:hello", "hello", "taskStream");
    }

    @Test
    void taskPagesAreCutFromEveryTaskByAPreviousReleaseCoordinator() {
        FakeClientService fake = FakeClientService.leader();
        JobView view = FakeClientService.view("j1-1", "RUNNING", 5);
        for (int i = 0; i < 5; i++) {
            view.addToTasks(new io.drover.protocol.thrift.TaskView(i, i % 2 == 0 ? "SUCCEEDED" : "RUNNING", 1));
        }
        fake.script("j1-1", view);
        RecordingProcessor old = new RecordingProcessor(previousReleaseProcessor(fake));
        LoopbackServer server = serve(old, () -> { });
        DroverClient client = DroverClient.builder().endpoints(server.endpoint()).retryDeadline(RETRY_DEADLINE).build();
        open.add(client);

        io.drover.sdk.TaskPage page = client.tasks("j1-1", 1, 1, "SUCCEEDED");
        assertThat(page.matched()).isEqualTo(3);
        assertThat(page.tasks()).extracting(io.drover.sdk.TaskStatus::task).containsExactly(2);
        assertThat(old.names()).as("taskPage is unknown to the previous release: getJob with every task instead")
                .containsExactly("ClientService:hello", "hello", "taskPage", "getJob");
    }

    @Test
    void quotasFromAPreviousReleaseCoordinatorSayItHasNoneAtOnce() {
        RecordingProcessor old = new RecordingProcessor(previousReleaseProcessor(FakeClientService.leader()));
        LoopbackServer server = serve(old, () -> { });
        DroverClient client = DroverClient.builder().endpoints(server.endpoint()).retryDeadline(RETRY_DEADLINE).build();
        open.add(client);

        org.assertj.core.api.Assertions.assertThatThrownBy(client::quotas).isInstanceOf(io.drover.sdk.DroverException.class)
                .hasMessageContaining("release has no quotas");
        assertThat(old.names()).as("asked once, not retried").containsExactly("ClientService:hello", "hello", "listQuotas");
    }

    @Test
    void aMethodUnknownEvenByItsBareNameIsRefusedNotRetried() {
        FakeClientService fake = FakeClientService.leader();
        RecordingProcessor old = new RecordingProcessor(previousReleaseProcessor(fake));
        LoopbackServer server = serve(old, () -> { });
        CoordinatorConnection<ClientService.Client> client = connection(CoordinatorService.CLIENT, server);

        long started = System.nanoTime();
        assertThatThrownBy(() -> client.call(c -> c.storeStats())).isInstanceOf(RequestRefusedException.class)
                .hasMessageContaining("storeStats").hasMessageContaining(server.endpoint());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(RETRY_DEADLINE.dividedBy(2));
        assertThat(old.names()).containsExactly("ClientService:hello", "hello", "storeStats");

        // The connection still serves, still without names.
        assertThat(jobs(client, 1)).isEmpty();
        assertThat(old.names()).endsWith("listJobs");
    }

    @Test
    void aCurrentCoordinatorKeepsGettingServiceNames() {
        FakeAgentService agents = new FakeAgentService();
        RecordingProcessor agentSide = new RecordingProcessor(LoopbackServer.service(CoordinatorService.AGENT,
                new AgentService.Processor<>(agents)));
        CoordinatorConnection<AgentService.Client> agent = connection(CoordinatorService.AGENT,
                serve(agentSide, () -> { }));
        agent.call(c -> {
            c.registerAgent(registration("ag1"));
            return null;
        });
        assertThat(agentSide.names()).containsExactly("AgentService:hello", "AgentService:registerAgent");

        FakeClientService fake = FakeClientService.leader(); // storeStats unset: answers unknown method
        RecordingProcessor clientSide = new RecordingProcessor(LoopbackServer.service(CoordinatorService.CLIENT,
                new ClientService.Processor<>(fake)));
        LoopbackServer server = serve(clientSide, () -> { });
        CoordinatorConnection<ClientService.Client> client = connection(CoordinatorService.CLIENT, server);
        assertThat(jobs(client, 10)).isEmpty();
        assertThat(clientSide.names()).containsExactly("ClientService:hello", "ClientService:listJobs");

        DroverClient sdk = DroverClient.builder().endpoints(server.endpoint()).retryDeadline(RETRY_DEADLINE).build();
        open.add(sdk);
        assertThat(sdk.storeStats()).isEmpty();
        assertThat(sdk.jobs(1)).isEmpty();
        assertThat(clientSide.names().subList(2, clientSide.names().size()))
                .as("the SDK takes an unknown storeStats as an older leader: no second try")
                .containsExactly("ClientService:hello", "ClientService:storeStats", "ClientService:listJobs");
    }

    @Test
    void aCoordinatorUpgradedInPlaceGetsServiceNamesAfterTheReconnect() {
        FakeAgentService fake = new FakeAgentService();
        RecordingProcessor server = new RecordingProcessor(new AgentService.Processor<>(fake));
        CoordinatorConnection<AgentService.Client> agent = connection(CoordinatorService.AGENT,
                serve(server, () -> { }));
        agent.call(c -> {
            c.registerAgent(registration("before"));
            return null;
        });
        assertThat(server.names()).containsExactly("AgentService:hello", "hello", "registerAgent");

        server.restartAs(LoopbackServer.service(CoordinatorService.AGENT, new AgentService.Processor<>(fake)));
        agent.call(c -> {
            c.registerAgent(registration("after"));
            return null;
        });

        assertThat(fake.registrations()).extracting(AgentRegistration::getAgentId).containsExactly("before", "after");
        assertThat(server.names()).as("the call the restart dropped, then service names again")
                .containsExactly("AgentService:hello", "hello", "registerAgent",
                        "registerAgent", "AgentService:hello", "AgentService:registerAgent");
    }

    /**
     * The previous release's processor: this release's generated one without the calls added since
     * (storeStats, taskStream, taskPage, the quota calls), so such a call is an unknown method as it was then.
     */
    private static TProcessor previousReleaseProcessor(FakeClientService fake) {
        Map<String, ProcessFunction<ClientService.Iface, ? extends TBase>> functions =
                new HashMap<>(new ClientService.Processor<ClientService.Iface>(fake).getProcessMapView());
        assertThat(functions.remove("storeStats")).isNotNull();
        assertThat(functions.remove("taskStream")).isNotNull();
        assertThat(functions.remove("taskPage")).isNotNull();
        assertThat(functions.remove("setQuota")).isNotNull();
        assertThat(functions.remove("listQuotas")).isNotNull();
        assertThat(functions.remove("removeQuota")).isNotNull();
        return new TBaseProcessor<ClientService.Iface>(fake, functions) { };
    }

    private LoopbackServer serve(TProcessor processor, Runnable beforeStop) {
        LoopbackServer server = LoopbackServer.start(processor, LoopbackServer.bindLoopback(), beforeStop);
        open.add(server);
        return server;
    }

    private <C extends org.apache.thrift.TServiceClient> CoordinatorConnection<C> connection(
            CoordinatorService<C> service, LoopbackServer server) {
        CoordinatorConnection<C> c = new CoordinatorConnection<>(service, List.of(Endpoint.parse(server.endpoint())),
                "compat-test", Duration.ofSeconds(2), Duration.ofSeconds(5), RETRY_DEADLINE);
        open.add(c);
        return c;
    }

    private static List<JobView> jobs(CoordinatorConnection<ClientService.Client> client, int limit) {
        return client.call(c -> c.listJobs(limit));
    }

    private static AgentRegistration registration(String agentId) {
        return new AgentRegistration(agentId, "localhost", 1, Map.of(), droverConstants.PROTOCOL_VERSION, "this");
    }
}
