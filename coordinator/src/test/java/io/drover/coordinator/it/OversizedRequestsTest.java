package io.drover.coordinator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.protocol.CoordinatorService;
import io.drover.protocol.thrift.AgentRegistration;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.ClientService;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.InvalidRequest;
import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.ScheduleSpec;
import io.drover.protocol.thrift.droverConstants;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests whose fields would make one durable fact larger than a ZooKeeper write (2 MB host,
 * labels of 120 KB each, ...) are refused at the edge with InvalidRequest naming the field and
 * its bound; nothing is written and the leader keeps its epoch.
 */
class OversizedRequestsTest {
    private LoneCoordinator grid;

    @BeforeEach
    void startCoordinator() throws Exception {
        grid = LoneCoordinator.start();
    }

    @AfterEach
    void stop() throws Exception {
        grid.close();
    }

    @Test
    void aRegistrationWithA2MegabyteHostIsRefusedAndTheLeaderStays() throws Exception {
        long epoch = grid.epoch();
        AgentService.Client agent = CoordinatorService.AGENT.client(grid.connect());
        AgentRegistration huge = new AgentRegistration("big-host", "h".repeat(2 * 1024 * 1024), 1, Map.of(),
                droverConstants.PROTOCOL_VERSION, "t");
        assertThatThrownBy(() -> agent.registerAgent(huge)).isInstanceOf(InvalidRequest.class)
                .hasMessageContaining("host").hasMessageContaining("255");
        assertThatThrownBy(() -> agent.heartbeat(new HeartbeatRequest("a".repeat(1_000_000), List.of(), List.of(), 1, false,
                0, droverConstants.PROTOCOL_VERSION))).isInstanceOf(InvalidRequest.class).hasMessageContaining("agentId");
        ClientService.Client client = CoordinatorService.CLIENT.client(grid.connect());
        assertThat(client.listAgents()).isEmpty();
        assertThat(grid.epoch()).as("same epoch").isEqualTo(epoch);
        assertThat(grid.server().isLeader()).isTrue();
    }

    @Test
    void aSubmitOrScheduleWithHugeLabelsIsRefusedNothingWrittenAndTheLeaderStays() throws Exception {
        long epoch = grid.epoch();
        ClientService.Client client = CoordinatorService.CLIENT.client(grid.connect());
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            labels.put("k" + i, "v".repeat(120_000));
        }
        JobSubmission job = MalformedRequestsTest.processJob("huge").setRequiredLabels(labels);
        assertThatThrownBy(() -> client.submit(job)).isInstanceOf(InvalidRequest.class)
                .hasMessageContaining("requiredLabels").hasMessageContaining("1024");
        ScheduleSpec schedule = new ScheduleSpec("huge", "0 0 * * * ?", "UTC", job, null, 0, null, false);
        assertThatThrownBy(() -> client.addSchedule(schedule)).isInstanceOf(InvalidRequest.class)
                .hasMessageContaining("job.requiredLabels");
        // Many arguments within each element's bound still add up to more than a definition may hold.
        List<String> args = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            args.add("a".repeat(10_000));
        }
        assertThatThrownBy(() -> client.submit(MalformedRequestsTest.processJob("args").setJobArguments(args)))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("262144");
        assertThat(client.listJobs(10)).isEmpty();
        assertThat(client.listSchedules()).isEmpty();
        assertThat(grid.epoch()).as("same epoch").isEqualTo(epoch);
        assertThat(client.submit(MalformedRequestsTest.processJob("fine")).getJobId()).isNotBlank();
    }
}
