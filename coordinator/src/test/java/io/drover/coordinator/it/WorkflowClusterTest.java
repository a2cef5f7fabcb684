package io.drover.coordinator.it;

import static io.drover.coordinator.it.CoordinatorClusterTest.poll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.coordinator.CoordinatorServer;
import io.drover.protocol.CoordinatorConnection;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.PermissionRefusedException;
import io.drover.protocol.RequestRefusedException;
import io.drover.protocol.Sha256;
import io.drover.protocol.thrift.AgentRegistration;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.BlobChunk;
import io.drover.protocol.thrift.Assignment;
import io.drover.protocol.thrift.ClientService;
import io.drover.protocol.thrift.DependencyResults;
import io.drover.protocol.thrift.DependencySpec;
import io.drover.protocol.thrift.JobKind;
import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.JobView;
import io.drover.protocol.thrift.Outcome;
import io.drover.protocol.thrift.ResultBlobRef;
import io.drover.protocol.thrift.TaskResult;
import io.drover.protocol.thrift.WorkflowJob;
import io.drover.protocol.thrift.WorkflowReply;
import io.drover.protocol.thrift.WorkflowSubmission;
import io.drover.protocol.thrift.droverConstants;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Workflows on two real coordinators and a real ZooKeeper over real Thrift: a DAG accepted at once,
 * its dependants WAITING and never offered to an agent until their upstream ends, the waiting
 * surviving a leader failover, upstream results handed to the dependant (a blob by reference, readable
 * only by an agent running the dependant), and refusals (cycles,
 * unknown ids) that accept nothing.
 */
class WorkflowClusterTest {
    @RegisterExtension
    final TwoCoordinators cluster = new TwoCoordinators();

    private CoordinatorServer coordinator() {
        return cluster.coordinator();
    }

    private static JobSubmission echo(String key, String word, String... after) {
        JobSubmission s = new JobSubmission(key, "alice", key, JobKind.PROCESS, 1, List.of(), 1, 1, 0, false, 0, Map.of(), 0);
        s.setCommand(List.of("echo", word));
        if (after.length > 0) {
            s.setDependencies(Stream.of(after).map(a -> new DependencySpec(a, "SUCCEEDED")).toList());
        }
        return s;
    }

    private static WorkflowSubmission workflow(Map<String, JobSubmission> jobs) {
        List<WorkflowJob> list = new ArrayList<>();
        jobs.forEach((name, job) -> list.add(new WorkflowJob(name, job)));
        return new WorkflowSubmission(list);
    }

    private static TaskResult done(Assignment a, String value) {
        TaskResult r = new TaskResult(a.getAttemptId(), a.getJobId(), a.getTask(), Outcome.SUCCEEDED, 5);
        r.setValue(ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
        return r;
    }

    private static void register(CoordinatorConnection<AgentService.Client> agent) throws Exception {
        agent.call(c -> { c.registerAgent(new AgentRegistration("ag1", "localhost", 4, Map.of(),
                droverConstants.PROTOCOL_VERSION, "test")); return null; });
    }

    @Test
    void aDagRunsUpstreamFirstAndItsWaitingJobsSurviveALeaderFailover() throws Exception {
        CoordinatorServer a = coordinator();
        await().atMost(Duration.ofSeconds(20)).until(a::isLeader);
        CoordinatorServer b = coordinator();
        CoordinatorConnection<ClientService.Client> client = cluster.connect(CoordinatorService.CLIENT, a, b);
        CoordinatorConnection<AgentService.Client> agent = cluster.connect(CoordinatorService.AGENT, a, b);

        Map<String, JobSubmission> jobs = new java.util.LinkedHashMap<>();
        jobs.put("report", echo("wf1/report", "r", "left", "right"));
        jobs.put("left", echo("wf1/left", "l", "start"));
        jobs.put("right", echo("wf1/right", "r", "start"));
        jobs.put("start", echo("wf1/start", "s"));
        WorkflowReply reply = client.call(c -> c.workflowSubmit(workflow(jobs)));
        Map<String, String> ids = reply.getJobs().stream().collect(Collectors.toMap(j -> j.getName(), j -> j.getJobId()));
        assertThat(reply.getJobs().get(0).getName()).as("upstream first").isEqualTo("start");
        assertThat(reply.getJobs().get(3).getName()).isEqualTo("report");
        JobView report = client.call(c -> c.getJob(ids.get("report"), false, false));
        assertThat(report.getState()).isEqualTo("WAITING");
        assertThat(report.getDependencies()).extracting(d -> d.getJobId()).containsExactly(ids.get("left"), ids.get("right"));
        assertThat(client.call(c -> c.workflowSubmit(workflow(jobs))).isDuplicate()).as("a retry").isTrue();

        register(agent);
        List<Assignment> first = agent.call(c -> c.heartbeat(poll("ag1", List.of()))).getAssignments();
        assertThat(first).extracting(Assignment::getJobId).as("only the job without dependencies is offered")
                .containsExactly(ids.get("start"));

        a.close(); // the leader dies with the dependants waiting
        await().atMost(Duration.ofSeconds(20)).until(b::isLeader);
        assertThat(client.call(c -> c.getJob(ids.get("left"), false, false)).getState()).isEqualTo("WAITING");
        register(agent);
        List<Assignment> next = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            next.addAll(agent.call(c -> c.heartbeat(poll("ag1", List.of(done(first.get(0), "21"))))).getAssignments());
            assertThat(next).extracting(Assignment::getJobId).containsExactlyInAnyOrder(ids.get("left"), ids.get("right"));
        });
        DependencyResults up = agent.call(c -> c.dependencyResults(ids.get("left")));
        assertThat(up.getUpstream()).singleElement().satisfies(u -> {
            assertThat(u.getJobId()).isEqualTo(ids.get("start"));
            assertThat(u.getState()).isEqualTo("SUCCEEDED");
            assertThat(new String(u.getResult(), StandardCharsets.UTF_8)).isEqualTo("21");
        });

        // left's result is a blob (over the inline limit): stored first, then reported by reference.
        byte[] blob = new byte[70_000];
        new java.util.Random(17).nextBytes(blob);
        String sha = Sha256.hex(blob);
        agent.call(c -> c.beginResultBlob(sha, blob.length));
        agent.call(c -> c.uploadResultChunk(new BlobChunk(sha, 0, ByteBuffer.wrap(blob), sha, blob.length)));
        Assignment left = next.stream().filter(x -> x.getJobId().equals(ids.get("left"))).findFirst().orElseThrow();
        Assignment right = next.stream().filter(x -> x != left).findFirst().orElseThrow();
        TaskResult leftDone = new TaskResult(left.getAttemptId(), left.getJobId(), left.getTask(), Outcome.SUCCEEDED, 5);
        leftDone.setResultBlob(new ResultBlobRef(sha, blob.length));
        List<Assignment> last = agent.call(c -> c.heartbeat(poll("ag1", List.of(leftDone, done(right, "y")))))
                .getAssignments();
        assertThat(last).extracting(Assignment::getJobId).containsExactly(ids.get("report"));
        DependencyResults reportUp = agent.call(c -> c.dependencyResults(ids.get("report")));
        assertThat(reportUp.getUpstream()).filteredOn(u -> u.getJobId().equals(ids.get("left"))).singleElement().satisfies(u -> {
            assertThat(u.isSetResult()).as("a blob goes by reference").isFalse();
            assertThat(u.getResultBlob()).isEqualTo(new ResultBlobRef(sha, blob.length));
        });
        BlobChunk chunk = agent.call(c -> c.fetchResultBlob(sha, 0, 1 << 20));
        assertThat(chunk.getData()).as("the agent running the dependant reads the upstream blob").isEqualTo(blob);
        CoordinatorConnection<AgentService.Client> other = cluster.connect(CoordinatorService.AGENT, b);
        other.call(c -> { c.registerAgent(new AgentRegistration("ag2", "localhost", 4, Map.of(),
                droverConstants.PROTOCOL_VERSION, "test")); return null; });
        assertThatThrownBy(() -> other.call(c -> c.fetchResultBlob(sha, 0, 1 << 20)))
                .as("an agent holding no task of a job that reads it").isInstanceOf(PermissionRefusedException.class)
                .hasMessageContaining("holds no task of a job that reads result " + sha);
        agent.call(c -> c.heartbeat(poll("ag1", List.of(done(last.get(0), "z")))));
        await().untilAsserted(() -> assertThat(client.call(c -> c.getJob(ids.get("report"), false, false)).getState())
                .isEqualTo("SUCCEEDED"));
    }

    @Test
    void cyclesAndUnknownJobsAreRefusedAndNothingIsAccepted() throws Exception {
        CoordinatorServer a = coordinator();
        await().atMost(Duration.ofSeconds(20)).until(a::isLeader);
        CoordinatorConnection<ClientService.Client> client = cluster.connect(CoordinatorService.CLIENT, a);

        Map<String, JobSubmission> cycle = new java.util.LinkedHashMap<>();
        cycle.put("a", echo("c/a", "a", "c"));
        cycle.put("b", echo("c/b", "b", "a"));
        cycle.put("c", echo("c/c", "c", "b"));
        assertThatThrownBy(() -> client.call(c -> c.workflowSubmit(workflow(cycle))))
                .isInstanceOf(RequestRefusedException.class).hasMessageContaining("the workflow has a cycle: a -> c -> b -> a");
        assertThatThrownBy(() -> client.call(c -> c.submit(echo("lone", "x", "j9-404"))))
                .isInstanceOf(RequestRefusedException.class).hasMessageContaining("unknown upstream job j9-404");
        List<JobView> listed = client.call(c -> c.listJobs(10));
        assertThat(listed).isEmpty();
    }
}
