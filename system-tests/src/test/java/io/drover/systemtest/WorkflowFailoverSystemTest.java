package io.drover.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.bench.cluster.DroverProcess;
import io.drover.coordinator.core.Fact;
import io.drover.coordinator.store.ZkCoordinatorStore;
import io.drover.sdk.Codecs;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import io.drover.sdk.JobStatus;
import io.drover.sdk.Workflow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A three-job workflow (a -> b, a -> c) on coordinator and agent processes over a 3-server
 * ZooKeeper ensemble, with the leader killed (SIGKILL) while the upstream job runs and the two
 * dependants wait. The dependants must wait through the failover, start only after the upstream's
 * end (checked with the processes' own clocks on one host), read its result through
 * {@code DROVER_UPSTREAM_RESULTS}, and every task commits once (audited from the fact log).
 */
class WorkflowFailoverSystemTest {
    @RegisterExtension
    final ProcessGrid grid = new ProcessGrid("drover-workflow-");

    private DroverProcess awaitLeader() {
        // Generous: on a loaded 2-core machine three JVMs and a 3-server ensemble take a while to elect.
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50)).until(() -> grid.cluster().leader().isPresent());
        return grid.cluster().leader().orElseThrow();
    }

    private static JobSpec sh(String name, String script, String... after) {
        JobSpec.Builder b = JobSpec.process(List.of("/bin/sh", "-c", script)).name(name).maxAttempts(3);
        for (String a : after) {
            b.dependsOn(a);
        }
        return b.build();
    }

    @Test
    void aWorkflowWaitsThroughALeaderKillAndItsDependantsStartAfterTheUpstreamEnds() throws Exception {
        try {
            runWorkflowAcrossALeaderKill();
        } catch (Exception | AssertionError e) {
            dumpLogs();
            throw e;
        }
    }

    /** The processes' own logs, which the cleanup deletes: what a failure needs explained. */
    private void dumpLogs() throws java.io.IOException {
        try (java.util.stream.Stream<Path> logs = Files.list(grid.dir())) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                System.out.println("==== " + log.getFileName() + " (last 40 lines)");
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.out::println);
            }
        }
    }

    private void runWorkflowAcrossALeaderKill() throws Exception {
        grid.cluster().startCoordinators(2).startAgents(1, 4);
        awaitLeader();
        Path marks = Files.createDirectories(grid.dir().resolve("marks"));
        Path started = marks.resolve("a-started");
        String stamp = "date +%s%N > " + marks + "/";
        Workflow w = Workflow.builder()
                .job("a", sh("a", "touch " + started + "; sleep 6; " + stamp + "a-end; echo 21"))
                .job("b", sh("b", stamp + "b-start; echo $(( 2 * $(cat \"$DROVER_UPSTREAM_RESULTS/a\") ))", "a"))
                .job("c", sh("c", stamp + "c-start; cut -f3 \"$DROVER_UPSTREAM_RESULTS/index\"", "a"))
                .build();
        try (DroverClient client = DroverClient.builder().endpoints(grid.cluster().endpoints()).credentials(grid.cluster().credentials())
                .retryDeadline(Duration.ofSeconds(60)).build()) {
            await().atMost(Duration.ofMinutes(4)).until(() -> client.agents().size() == 1);
            Map<String, JobHandle> jobs = client.submitWorkflow(w);
            assertThat(jobs.keySet()).containsExactly("a", "b", "c");
            await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(started));
            assertThat(jobs.get("b").status().state()).isEqualTo(JobState.WAITING);
            assertThat(jobs.get("c").status().waitingFor()).extracting(d -> d.jobId()).containsExactly(jobs.get("a").jobId());

            grid.cluster().leader().orElseThrow().kill(); // while a runs and b, c wait
            awaitLeader();

            JobStatus b = jobs.get("b").await(Duration.ofMinutes(2));
            JobStatus c = jobs.get("c").await(Duration.ofMinutes(2));
            assertThat(jobs.get("a").status().state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(b.state()).as("b; processes: %s", grid.cluster().describe()).isEqualTo(JobState.SUCCEEDED);
            assertThat(c.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(jobs.get("b").result(Duration.ZERO, Codecs.utf8()).strip()).as("2 * a's result").isEqualTo("42");
            assertThat(jobs.get("c").result(Duration.ZERO, Codecs.utf8()).strip()).isEqualTo("SUCCEEDED");
        }
        long aEnd = Long.parseLong(Files.readString(marks.resolve("a-end")).strip());
        for (String dependant : List.of("b-start", "c-start")) {
            assertThat(Long.parseLong(Files.readString(marks.resolve(dependant)).strip()))
                    .as("%s after a ended", dependant).isGreaterThan(aEnd);
        }
        List<Fact> log = new ZkCoordinatorStore(grid.auditor(), "/drover").readLog();
        Set<String> committed = new HashSet<>();
        log.stream().filter(f -> f instanceof Fact.TaskCommitted).map(f -> (Fact.TaskCommitted) f)
                .forEach(t -> assertThat(committed.add(t.jobId() + "/" + t.task())).as("%s/%d committed twice", t.jobId(),
                        t.task()).isTrue());
        assertThat(committed).hasSize(3);
        System.out.println("workflow failover: a ended " + new String(Files.readAllBytes(marks.resolve("a-end")),
                StandardCharsets.UTF_8).strip() + ", dependants started after it; 3 tasks committed once each");
    }
}
