package io.drover.systemtest;

import io.drover.cli.demo.LocalCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.sdk.DroverClient;
import io.drover.sdk.JobState;
import io.drover.sdk.ScheduleRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code drover schedule ...} as its own process, the way a user runs it, against a local cluster
 * with an agent: what the commands print (a table printed with print(), not println(), must still
 * reach stdout before the process exits) and a schedule's runs ending SUCCEEDED in its history.
 */
class ScheduleCommandsProcessTest {
    /** Runs {@code drover args...} in a new JVM; its exit code and stdout. */
    private record Run(int code, String out) {
    }

    /** The local cluster's secrets: the CLI processes find its CA and admin token through DROVER_SECRETS_DIR. */
    private Path secrets;

    private Run drover(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.drover.cli.DroverCli"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("DROVER_SECRETS_DIR", secrets.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("drover " + String.join(" ", args) + " did not exit");
        }
        return new Run(p.exitValue(), out);
    }

    @Test
    void scheduleCommandsPrintWhatTheyShowAndRunsEndSucceeded() throws Exception {
        try (LocalCluster cluster = new LocalCluster(1, 2);
             DroverClient client = DroverClient.connect(cluster.endpoint(), cluster.credentials())) {
            secrets = cluster.secretsDir();
            assertThat(cluster.coordinator().awaitLeadership(Duration.ofSeconds(30))).isTrue();
            String coordinators = "--coordinators=" + cluster.endpoint();
            Run add = drover("schedule", "add", "ticks", "--cron", "* * * * * ?", "--zone", "Europe/Berlin",
                    "--command", "true", coordinators);
            assertThat(add.code()).isZero();
            assertThat(add.out()).startsWith("schedule ticks added; next fire ");

            await().atMost(Duration.ofSeconds(30)).until(() -> client.schedule("ticks").history().stream()
                    .filter(r -> r.jobState().orElse(null) == JobState.SUCCEEDED).count() >= 2);
            Run pause = drover("schedule", "pause", "ticks", coordinators);
            assertThat(pause.out()).isEqualTo("schedule ticks paused\n");
            ScheduleRun first = client.schedule("ticks").history().get(client.schedule("ticks").history().size() - 1);

            Run list = drover("schedule", "list", coordinators);
            assertThat(list.code()).isZero();
            assertThat(list.out()).startsWith("NAME").contains("ticks").contains("Europe/Berlin").contains("PAUSED");
            Run show = drover("schedule", "show", "ticks", coordinators);
            assertThat(show.code()).isZero();
            assertThat(show.out()).startsWith("schedule ticks (PAUSED)\n").contains("SCHEDULED")
                    .contains(first.jobId().orElseThrow()).contains("SUCCEEDED");
            Run jobs = drover("jobs", coordinators);
            assertThat(jobs.out()).startsWith("JOB").contains(first.jobId().orElseThrow());
        }
    }
}
