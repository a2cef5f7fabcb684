package io.drover.systemtest;

import io.drover.cli.demo.Directories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.Agent;
import io.drover.agent.AgentConfig;
import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.sdk.Codecs;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import io.drover.sdk.JobStatus;
import io.drover.sdk.TaskStatus;
import io.drover.protocol.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An agent's restart against the real coordinator (in-process, on loopback, real ZooKeeper): a result
 * the coordinator never acknowledged is delivered by the next agent on the same work dir, and tasks
 * an agent stops when it shuts down are given back, not failed.
 */
class AgentRestartIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private Path dir;
    private TestingServer zk;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("drover-agent-restart-");
        zk = new TestingServer(true);
    }

    @AfterEach
    void stop() throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            c.close();
        }
        zk.close();
        Directories.deleteTree(dir);
    }

    @Test
    void resultFinishedWhileNoCoordinatorAnswersIsDeliveredByTheRestartedAgent() throws Exception {
        Path gate = dir.resolve("gate");
        Path runs = dir.resolve("runs");
        // A run after the first takes 2 s, so the journal's result (run 1) is surely the first to arrive.
        String script = "while [ ! -e " + gate + " ]; do sleep 0.05; done; "
                + "if [ -e " + runs + " ]; then sleep 2; fi; echo run >> " + runs + "; wc -l < " + runs + " | tr -d ' '";
        CoordinatorServer first = coordinator();
        Agent before = agent("journal-agent", first);
        String jobId;
        try (DroverClient client = DroverClient.connect(first.endpoint())) {
            JobHandle job = client.submit(JobSpec.process(List.of("/bin/sh", "-c", script)).name("journaled").shards(1).build());
            jobId = job.jobId();
            await().atMost(WAIT).until(() -> taskOf(job).state().equals("RUNNING"));
        }

        first.close(); // the only coordinator goes away while the task runs
        Files.createFile(gate);
        await().atMost(WAIT).until(() -> before.pendingResults() == 1);
        before.close(); // stopped with the result unacknowledged: it is in the journal only

        CoordinatorServer second = coordinator(); // a new leader, state recovered from ZooKeeper
        agent("journal-agent", second);
        try (DroverClient client = DroverClient.connect(second.endpoint())) {
            JobHandle job = client.job(jobId);
            assertThat(job.shardResults(WAIT, Codecs.utf8())).containsExactly("1\n");
            assertThat(job.status().state()).isEqualTo(JobState.SUCCEEDED);
        }
    }

    @Test
    void tasksStoppedByAnAgentShutdownAreGivenBackWithoutUsingAnAttempt() throws Exception {
        Path gate = dir.resolve("gate");
        CoordinatorServer coordinator = coordinator();
        Agent leaving = agent("leaving-agent", coordinator);
        try (DroverClient client = DroverClient.connect(coordinator.endpoint())) {
            JobHandle job = client.submit(JobSpec.process(List.of("/bin/sh", "-c",
                    "while [ ! -e " + gate + " ]; do sleep 0.05; done; echo done")).name("given-back").shards(1).maxAttempts(1).build());
            await().atMost(WAIT).until(() -> taskOf(job).agentId().equals(java.util.Optional.of("leaving-agent")));

            leaving.close();
            agent("staying-agent", coordinator);
            Files.createFile(gate);

            JobStatus done = job.await(WAIT);
            assertThat(done.state()).as("with maxAttempts 1, a FAILED report would have failed the job").isEqualTo(JobState.SUCCEEDED);
            TaskStatus task = job.status(true).tasks().get(0);
            assertThat(task.attempts()).as("the given-back attempt is not counted").isEqualTo(1);
            assertThat(client.agents()).filteredOn(a -> a.agentId().equals("staying-agent"))
                    .singleElement().satisfies(a -> assertThat(a.completedTasks()).isEqualTo(1L));
        }
    }

    private CoordinatorServer coordinator() {
        CoordinatorServer server = new CoordinatorServer(CoordinatorConfig.defaults(zk.getConnectString())
                .withListen("127.0.0.1", 0), Clock.systemUTC()).start();
        toClose.add(server);
        assertThat(server.awaitLeadership(Duration.ofSeconds(30))).isTrue();
        return server;
    }

    private Agent agent(String id, CoordinatorServer coordinator) {
        Agent agent = new Agent(new AgentConfig(id, "127.0.0.1", List.of(Endpoint.parse(coordinator.endpoint())), 1,
                Map.of(), dir.resolve(id), Duration.ofSeconds(2), AgentConfig.DEFAULT_REPORT_BATCH_WINDOW));
        toClose.add(agent);
        agent.start();
        return agent;
    }

    private static TaskStatus taskOf(JobHandle job) {
        return job.status(true).tasks().get(0);
    }
}
