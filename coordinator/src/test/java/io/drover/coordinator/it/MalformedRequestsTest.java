package io.drover.coordinator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.drover.protocol.CoordinatorService;
import io.drover.protocol.thrift.AgentRegistration;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.ArtifactChunk;
import io.drover.protocol.thrift.Assignment;
import io.drover.protocol.thrift.ClientService;
import io.drover.protocol.thrift.HeartbeatReply;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.IncompatibleVersion;
import io.drover.protocol.thrift.InvalidRequest;
import io.drover.protocol.thrift.JobKind;
import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.LogChunk;
import io.drover.protocol.thrift.Outcome;
import io.drover.protocol.thrift.RunningAttempt;
import io.drover.protocol.thrift.ScheduleSpec;
import io.drover.protocol.thrift.TaskResult;
import io.drover.protocol.thrift.droverConstants;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every method of both services, called by a raw client with its arguments left null or unset
 * (as a 20-byte hand-made frame would): each gets InvalidRequest (or, for hello and the lists, a
 * well-defined answer), the leader keeps its epoch, and a job still runs afterwards.
 */
class MalformedRequestsTest {
    private LoneCoordinator grid;

    @FunctionalInterface
    interface AgentCall {
        void call(AgentService.Client c) throws Exception;
    }

    @FunctionalInterface
    interface ClientCall {
        void call(ClientService.Client c) throws Exception;
    }

    @BeforeEach
    void startCoordinator() throws Exception {
        grid = LoneCoordinator.start();
    }

    @AfterEach
    void stop() throws Exception {
        grid.close();
    }

    @Test
    void everyAgentMethodWithNullArgumentsIsRefusedAndTheLeaderStays() throws Exception {
        long epoch = grid.epoch();
        List<String> problems = new ArrayList<>();
        agent(problems, "hello(null)", true, c -> c.hello(null));
        agent(problems, "hello(unset)", true, c -> c.hello(new Hello()));
        agent(problems, "registerAgent(null)", false, c -> c.registerAgent(null));
        agent(problems, "registerAgent(unset)", false, c -> c.registerAgent(new AgentRegistration()));
        agent(problems, "registerAgent(no host, no labels)", false, c -> c.registerAgent(
                new AgentRegistration().setAgentId("a").setSlots(1).setProtocolVersion(droverConstants.PROTOCOL_VERSION)));
        agent(problems, "heartbeat(null)", false, c -> c.heartbeat(null));
        agent(problems, "heartbeat(unset)", false, c -> c.heartbeat(new HeartbeatRequest()));
        agent(problems, "heartbeat(id only)", false, c -> c.heartbeat(new HeartbeatRequest().setAgentId("a")));
        agent(problems, "heartbeat(unset result)", false, c -> c.heartbeat(new HeartbeatRequest().setAgentId("a")
                .setResults(List.of(new TaskResult())).setRunning(List.of())));
        agent(problems, "heartbeat(unset running)", false, c -> c.heartbeat(new HeartbeatRequest().setAgentId("a")
                .setResults(List.of()).setRunning(List.of(new RunningAttempt()))));
        agent(problems, "describeJob(null)", false, c -> c.describeJob(null));
        agent(problems, "fetchArtifact(null)", false, c -> c.fetchArtifact(null, 0, 0));
        agent(problems, "fetchArtifact(negative)", false, c -> c.fetchArtifact("a".repeat(64), -1, -1));
        agent(problems, "deliverLog(null)", false, c -> c.deliverLog(null, null));
        agent(problems, "deliverLog(unset chunk)", false, c -> c.deliverLog("a", new LogChunk()));
        assertThat(problems).isEmpty();
        assertLeaderKept(epoch);
        runsAJob(epoch);
    }

    @Test
    void everyClientMethodWithNullArgumentsIsRefusedAndTheLeaderStays() throws Exception {
        long epoch = grid.epoch();
        List<String> problems = new ArrayList<>();
        client(problems, "hello(null)", true, c -> c.hello(null));
        client(problems, "beginUpload(null)", false, c -> c.beginUpload(null, 0));
        client(problems, "uploadChunk(null)", false, c -> c.uploadChunk(null));
        client(problems, "uploadChunk(unset)", false, c -> c.uploadChunk(new ArtifactChunk()));
        client(problems, "submit(null)", false, c -> c.submit(null));
        client(problems, "submit(unset)", false, c -> c.submit(new JobSubmission()));
        client(problems, "submit(null lists)", false, c -> c.submit(processJob("nulls")
                .setRequiredLabels(null).setJobArguments(null)));
        client(problems, "submit(unset schedule template)", false, c -> c.addSchedule(new ScheduleSpec()
                .setName("s").setCron("0 0 * * * ?").setTimeZone("UTC").setJob(new JobSubmission())));
        client(problems, "getJob(null)", false, c -> c.getJob(null, true, true));
        client(problems, "listJobs(0)", true, c -> c.listJobs(0));
        client(problems, "listJobs(negative)", true, c -> c.listJobs(-5));
        client(problems, "cancelJob(null)", false, c -> c.cancelJob(null));
        client(problems, "readLog(null)", false, c -> c.readLog(null, 0, null, 0, 0, 0));
        client(problems, "readLog(negative task)", false, c -> c.readLog("j", -1, io.drover.protocol.thrift.LogStream.STDOUT, 0, 0, 0));
        client(problems, "listAgents()", true, ClientService.Client::listAgents);
        client(problems, "drainAgent(null)", false, c -> c.drainAgent(null, true));
        client(problems, "forgetAgent(null)", false, c -> c.forgetAgent(null));
        client(problems, "addSchedule(null)", false, c -> c.addSchedule(null));
        client(problems, "addSchedule(unset)", false, c -> c.addSchedule(new ScheduleSpec()));
        client(problems, "listSchedules()", true, ClientService.Client::listSchedules);
        client(problems, "getSchedule(null)", false, c -> c.getSchedule(null));
        client(problems, "pauseSchedule(null)", false, c -> c.pauseSchedule(null));
        client(problems, "resumeSchedule(null)", false, c -> c.resumeSchedule(null));
        client(problems, "removeSchedule(null)", false, c -> c.removeSchedule(null));
        client(problems, "runScheduleNow(null, null)", false, c -> c.runScheduleNow(null, null));
        client(problems, "runScheduleNow(null, key)", false, c -> c.runScheduleNow(null, "k"));
        assertThat(problems).isEmpty();
        assertLeaderKept(epoch);
        runsAJob(epoch);
    }

    @Test
    void refusalsNameTheFieldAndItsBound() throws Exception {
        ClientService.Client client = CoordinatorService.CLIENT.client(grid.connect());
        AgentService.Client agent = CoordinatorService.AGENT.client(grid.connect());
        assertThatThrownBy(() -> client.pauseSchedule(null)).isInstanceOf(InvalidRequest.class).hasMessageContaining("name is required");
        assertThatThrownBy(() -> client.submit(new JobSubmission())).isInstanceOf(InvalidRequest.class)
                .hasMessageContaining("name is required") // an absent owner is the caller's identity
                .hasMessageContaining("kind is required").hasMessageContaining("jobArguments is required");
        assertThatThrownBy(() -> client.cancelJob("j".repeat(300))).isInstanceOf(InvalidRequest.class)
                .hasMessageContaining("jobId has 300 characters, more than 256");
        assertThatThrownBy(() -> agent.heartbeat(new HeartbeatRequest().setAgentId("a").setResults(List.of())
                .setRunning(List.of()).setFreeSlots(-1))).isInstanceOf(InvalidRequest.class)
                .hasMessageContaining("freeSlots must be 0..4096, was -1");
    }

    /** Calls on a fresh connection; a refusal must be InvalidRequest naming something, or a normal answer when allowed. */
    private void agent(List<String> problems, String what, boolean mayAnswer, AgentCall call) {
        judge(problems, what, mayAnswer, () -> call.call(CoordinatorService.AGENT.client(grid.connect())));
    }

    private void client(List<String> problems, String what, boolean mayAnswer, ClientCall call) {
        judge(problems, what, mayAnswer, () -> call.call(CoordinatorService.CLIENT.client(grid.connect())));
    }

    private interface Attempt {
        void run() throws Exception;
    }

    private static void judge(List<String> problems, String what, boolean mayAnswer, Attempt attempt) {
        try {
            attempt.run();
            if (!mayAnswer) {
                problems.add(what + ": answered instead of refusing");
            }
        } catch (InvalidRequest e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                problems.add(what + ": InvalidRequest without a message");
            }
        } catch (IncompatibleVersion e) {
            if (!what.startsWith("hello")) {
                problems.add(what + ": " + e);
            }
        } catch (Exception e) {
            problems.add(what + ": " + e);
        }
    }

    private void assertLeaderKept(long epoch) throws Exception {
        assertThat(grid.server().isLeader()).as("still the leader").isTrue();
        assertThat(grid.epoch()).as("same epoch: no leadership change").isEqualTo(epoch);
    }

    /** Registers an agent, submits a one-shard job, runs it to success. */
    private void runsAJob(long epoch) throws Exception {
        AgentService.Client agent = CoordinatorService.AGENT.client(grid.connect());
        ClientService.Client client = CoordinatorService.CLIENT.client(grid.connect());
        agent.registerAgent(new AgentRegistration("worker", "localhost", 1, Map.of(), droverConstants.PROTOCOL_VERSION, "t"));
        String jobId = client.submit(processJob("after")).getJobId();
        List<Assignment> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HeartbeatReply reply = agent.heartbeat(new HeartbeatRequest("worker", List.of(), List.of(), 1, false, 0,
                    droverConstants.PROTOCOL_VERSION));
            got.addAll(reply.getAssignments());
            assertThat(got).isNotEmpty();
        });
        Assignment a = got.get(0);
        assertThat(a.getJobId()).isEqualTo(jobId);
        TaskResult done = new TaskResult(a.getAttemptId(), jobId, a.getTask(), Outcome.SUCCEEDED, 5);
        agent.heartbeat(new HeartbeatRequest("worker", List.of(done), List.of(), 1, false, 0, droverConstants.PROTOCOL_VERSION));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(client.getJob(jobId, false, false).getState()).isEqualTo("SUCCEEDED"));
        assertLeaderKept(epoch);
    }

    static JobSubmission processJob(String key) {
        return new JobSubmission("edge", "alice", key, JobKind.PROCESS, 1, List.of(), 1, 1, 0, false, 0, Map.of(), 0)
                .setCommand(List.of("/bin/true"));
    }
}
