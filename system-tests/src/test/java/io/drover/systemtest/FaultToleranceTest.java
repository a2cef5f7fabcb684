package io.drover.systemtest;


import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.coordinator.core.Fact;
import io.drover.coordinator.store.ZkCoordinatorStore;
import io.drover.bench.cluster.DroverProcess;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import io.drover.sdk.JobStatus;
import io.drover.protocol.CallDeadlines;
import io.drover.protocol.CoordinatorConnection;
import io.drover.protocol.PermissionRefusedException;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.Endpoint;
import io.drover.protocol.thrift.JobKind;
import io.drover.protocol.thrift.JobSubmission;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Process-level faults on loopback: a 3-server ZooKeeper ensemble, coordinator and agent
 * processes killed with SIGKILL or frozen with SIGSTOP while a job runs. Exactly-once is audited
 * from the fact log in ZooKeeper, not from what the coordinator says.
 */
// Kills and freezes processes against failover deadlines: nothing else runs beside it.
@Isolated
class FaultToleranceTest {
    @RegisterExtension
    final ProcessGrid grid = new ProcessGrid("drover-faults-");

    private DroverProcess awaitLeader() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> grid.cluster().leader().isPresent());
        return grid.cluster().leader().orElseThrow();
    }

    @Test
    void aJobSurvivesTwoLeaderKillsAndTwoAgentKillsWithEveryTaskCommittedOnce() throws Exception {
        grid.cluster().startCoordinators(3).startAgents(4, 4);
        awaitLeader();
        Path markers = Files.createDirectories(grid.dir().resolve("executions"));
        int tasks = 2_000;
        try (DroverClient client = DroverClient.builder().endpoints(grid.cluster().endpoints()).credentials(grid.cluster().credentials())
                .retryDeadline(Duration.ofSeconds(60)).build()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> client.agents().size() == 4);
            JobHandle job = client.submit(JobSpec.jvm(GridIntegrationTest.JOBS, "io.drover.examples.Sleep").name("chaos")
                    .shards(tasks).arguments("40", markers.toString()).maxAttempts(5).build());

            awaitProgress(job, 0.15);
            DroverProcess first = grid.cluster().leader().orElseThrow();
            first.kill();
            awaitProgress(job, 0.30);
            grid.cluster().agents().get(0).kill();
            awaitLeader();
            awaitProgress(job, 0.45);
            grid.cluster().leader().orElseThrow().kill();
            awaitProgress(job, 0.60);
            grid.cluster().agents().get(1).kill();
            first.start(); // a killed coordinator comes back as a standby
            grid.cluster().agents().get(0).start(); // a killed agent comes back

            JobStatus end = job.await(Duration.ofMinutes(4));
            assertThat(end.state()).as("job outcome; processes: %s", grid.cluster().describe()).isEqualTo(JobState.SUCCEEDED);
        }
        List<Fact> log = new ZkCoordinatorStore(grid.auditor(), "/drover").readLog();
        Set<Integer> committed = new HashSet<>();
        long commits = log.stream().filter(f -> f instanceof Fact.TaskCommitted).map(f -> (Fact.TaskCommitted) f)
                .peek(c -> assertThat(committed.add(c.task())).as("task %d committed twice", c.task()).isTrue()).count();
        assertThat(committed).hasSize(tasks);
        long executions;
        try (Stream<Path> files = Files.list(markers)) {
            executions = files.count();
        }
        System.out.printf("chaos: tasks=%d committed=%d executions=%d thrown_away=%d%n", tasks, commits, executions,
                executions - tasks);
        assertThat(executions).isGreaterThanOrEqualTo(tasks);
    }

    @Test
    void aFrozenLeaderThatWakesUpCannotCommitAnything() throws Exception {
        grid.cluster().startCoordinators(2).startAgents(1, 2);
        DroverProcess old = awaitLeader();
        // The agent joins (its certificate) and registers before the freeze: this test is about the deposed leader's
        // writes. Under load an agent JVM can start seconds late and would otherwise enrol just as the leader stops.
        try (DroverClient client = DroverClient.connect(grid.cluster().endpoints(), grid.cluster().credentials())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> client.agents().size() == 1);
        }
        String oldEndpoint = grid.cluster().endpointOf(old);
        CallDeadlines deadlines = new CallDeadlines(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(30),
                CallDeadlines.DEFAULTS.parkMargin(), Duration.ZERO);
        AtomicReference<RuntimeException> refused = new AtomicReference<>();
        try (var direct = new CoordinatorConnection<>(CoordinatorService.CLIENT, List.of(Endpoint.parse(oldEndpoint)), "fencing-test",
                deadlines, false, grid.cluster().clientSecurity())) {
            // Connected (TLS handshake done, token accepted) before the freeze: a frozen process
            // still takes the submit's bytes into its socket buffer, as it would take a new
            // plaintext connection's, but it cannot complete a new TLS handshake.
            String token = grid.cluster().clientSecurity().token().get();
            direct.call(c -> c.hello(new io.drover.protocol.thrift.Hello(1, "t").setToken(token)));
            old.pause();
            DroverProcess next = awaitLeader();
            assertThat(next).isNotSameAs(old);
            // Sent while the old leader is frozen; it reads this only after it wakes up, still
            // believing it leads until ZooKeeper tells it otherwise.
            JobSubmission s = new JobSubmission("fenced", "t", "fenced-key", JobKind.PROCESS, 1, List.of(), 1, 1, 0,
                    false, 0, Map.of(), 0);
            s.setCommand(List.of("/bin/true"));
            Thread sender = new Thread(() -> {
                try {
                    direct.call(c -> c.submit(s));
                } catch (RuntimeException expected) {
                    refused.set(expected);
                    System.out.println("fencing: submit to the deposed leader failed as expected: " + expected.getMessage());
                }
            });
            sender.start();
            old.resume();
            sender.join(30_000);
            // Refused for being deposed, not for want of a permission (which would prove nothing here).
            assertThat(refused.get()).as("the deposed leader's answer to the submit").isNotNull()
                    .isNotInstanceOf(PermissionRefusedException.class);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    grid.cluster().hello(oldEndpoint).map(i -> !i.isLeader()).orElse(false));
        }
        List<Fact> log = new ZkCoordinatorStore(grid.auditor(), "/drover").readLog();
        assertThat(log).noneMatch(f -> f instanceof Fact.JobAccepted a && a.definition().idempotencyKey().equals("fenced-key"));
        String oldLog = Files.readString(old.log());
        System.out.println("fencing: deposed leader's own account: " + oldLog.lines()
                .filter(l -> l.contains("STANDBY") || l.contains("epoch")).reduce((a, b) -> b).orElse("(none)"));
        try (DroverClient client = DroverClient.connect(grid.cluster().endpoints(), grid.cluster().credentials())) {
            JobHandle job = client.submit(JobSpec.process(List.of("/bin/true")).name("after").shards(3).build());
            assertThat(job.await(Duration.ofSeconds(60)).state()).isEqualTo(JobState.SUCCEEDED);
        }
    }

    private static void awaitProgress(JobHandle job, double fraction) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> job.status().progress() >= fraction);
    }
}
