package io.drover.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import example.cli.Pi;
import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.sdk.DroverClient;
import io.drover.sdk.OverlapPolicy;
import io.drover.sdk.ScheduleStatus;
import io.drover.testkit.TestJars;
import io.drover.cli.client.ClientCommand;
import io.drover.cli.client.ClientCommands;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code drover schedule ...} through picocli, as a user types it, against a real coordinator on
 * real ZooKeeper and Thrift: the job options reach the schedule, the text the user reads, and the
 * errors for a bad cron expression, an unknown zone and an unknown artifact (exit code 2).
 */
class ScheduleCliClusterTest {
    private TestingServer zk;
    private CoordinatorServer coordinator;
    private DroverClient client;
    private StringWriter out;
    private StringWriter err;

    @Command(name = "drover")
    static final class Root {
    }

    @BeforeEach
    void start() throws Exception {
        zk = new TestingServer(true);
        coordinator = new CoordinatorServer(CoordinatorConfig.defaults(zk.getConnectString()).withListen("127.0.0.1", 0),
                Clock.systemUTC()).start();
        await().atMost(Duration.ofSeconds(20)).until(coordinator::isLeader);
        client = DroverClient.connect(coordinator.endpoint());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        coordinator.close();
        zk.close();
    }

    /** Runs one command line; its stdout and stderr are in {@link #out} and {@link #err}. */
    private int drover(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine root = ClientCommands.addTo(new CommandLine(new Root()));
        root.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--coordinators=" + coordinator.endpoint();
        return root.execute(all);
    }

    @Test
    void addListShowPauseResumeRunNowRemove() {
        assertThat(drover("schedule", "add", "tick", "--cron", "* * * * * ?", "--zone", "Europe/Berlin",
                "--command", "./probe.sh -v", "--shards", "2", "--label", "pool=edge", "--max-attempts", "5",
                "--timeout", "30s", "--priority", "7", "--overlap", "FORBID")).as(err.toString()).isZero();
        assertThat(out.toString()).matches("schedule tick added; next fire \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.000 \\+0[12]:00\n");
        ScheduleStatus s = client.schedule("tick");
        assertThat(s.spec().zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(s.spec().overlap()).isEqualTo(OverlapPolicy.FORBID);
        assertThat(s.spec().job().command()).containsExactly("./probe.sh", "-v");
        assertThat(s.spec().job().shardCount()).isEqualTo(2);
        assertThat(s.spec().job().requiredLabels()).isEqualTo(Map.of("pool", "edge"));
        assertThat(s.spec().job().maxAttempts()).isEqualTo(5);
        assertThat(s.spec().job().taskTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.spec().job().priority()).isEqualTo(7);

        // No agents: the first run stays pending, so FORBID skips the next fires.
        await().atMost(Duration.ofSeconds(10)).until(() -> client.schedule("tick").history().size() >= 3);
        assertThat(drover("schedule", "list")).isZero();
        assertThat(out.toString()).contains("NAME").contains("tick").contains("* * * * * ?").contains("Europe/Berlin")
                .contains("ACTIVE").contains("FORBID");
        assertThat(drover("schedule", "show", "tick")).isZero();
        assertThat(out.toString()).contains("schedule tick\n").contains("cron      * * * * * ? in Europe/Berlin")
                .contains("./probe.sh -v, 2 shard(s)").containsPattern("STARTED +tick@\\d{8}T\\d{6}Z +- +\\d+s\\+")
                .contains("SKIPPED_OVERLAP").contains("(overlap FORBID)");

        assertThat(drover("schedule", "list", "--output", "json")).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("[").contains("\"name\" : \"tick\"").contains("\"overlap\" : \"FORBID\"");
        assertThat(drover("schedule", "show", "tick", "--output", "json")).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("{").contains("\"zone\" : \"Europe/Berlin\"")
                .contains("\"status\" : \"SKIPPED_OVERLAP\"").contains("\"outcome\" : \"skipped\"")
                .contains("\"job\" : \"./probe.sh -v\"");

        assertThat(drover("schedule", "run-now", "tick")).isEqualTo(ClientCommand.INVALID);
        assertThat(err.toString()).startsWith("drover: schedule tick forbids overlapping runs and run tick@");

        assertThat(drover("schedule", "pause", "tick")).isZero();
        assertThat(out.toString()).isEqualTo("schedule tick paused\n");
        assertThat(drover("schedule", "list")).isZero();
        assertThat(out.toString()).contains("PAUSED");
        assertThat(drover("schedule", "resume", "tick")).isZero();
        assertThat(out.toString()).startsWith("schedule tick resumed; next fire ");
        assertThat(drover("schedule", "remove", "tick")).isZero();
        assertThat(out.toString()).isEqualTo("schedule tick removed\n");
        assertThat(drover("schedule", "show", "tick")).isEqualTo(ClientCommand.INVALID);
        assertThat(err.toString()).isEqualTo("drover: unknown schedule tick\n");
    }

    @Test
    void aJarIsUploadedAtAddAndRunNowPrintsTheRunId(@TempDir Path tmp) throws Exception {
        Path file = TestJars.write(tmp.resolve("jobs.jar"), Pi.class);
        byte[] jar = Files.readAllBytes(file);
        assertThat(drover("schedule", "add", "nightly", "--cron", "0 30 2 * * ?", "--zone", "Europe/Berlin",
                "--jar", file.toString(), "--class", "example.cli.Pi", "--arg", "a1", "--paused")).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("schedule nightly added (paused)\n");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jar));
        assertThat(client.schedule("nightly").spec().job().artifactSha256()).hasValue(sha);
        assertThat(client.schedule("nightly").spec().job().arguments()).isEqualTo(List.of("a1"));

        assertThat(drover("schedule", "run-now", "nightly")).as(err.toString()).isZero();
        assertThat(out.toString()).matches("nightly@manual-\\d{8}T\\d{6}\\.\\d{3}Z\n");
        assertThat(client.job(out.toString().trim()).status().name()).isEqualTo("nightly");
    }

    @Test
    void badCronZoneAndArtifactAreClearErrorsAtCreation() {
        assertThat(drover("schedule", "add", "bad", "--cron", "0 0 25 * * ?", "--command", "true"))
                .isEqualTo(ClientCommand.INVALID);
        assertThat(err.toString()).startsWith("drover: invalid schedule bad: invalid cron expression '0 0 25 * * ?': ")
                .contains("Hour values must be between 0 and 23");

        assertThat(drover("schedule", "add", "bad", "--cron", "0 0 2 * * ?", "--zone", "Europe/Berlinn", "--command", "true"))
                .isEqualTo(ClientCommand.INVALID);
        assertThat(err.toString()).startsWith("drover: ").contains("unknown time zone 'Europe/Berlinn'");

        assertThat(drover("schedule", "add", "bad", "--cron", "0 0 2 * * ?", "--artifact", "0".repeat(64),
                "--class", "x.Job")).isEqualTo(ClientCommand.INVALID);
        assertThat(err.toString()).startsWith("drover: invalid schedule bad: ")
                .contains("artifact " + "0".repeat(64) + " has not been uploaded");

        assertThat(drover("schedule", "add", "bad", "--cron", "0 0 2 * * ?")).isEqualTo(ClientCommand.INVALID);
        assertThat(err.toString()).isEqualTo("drover: give exactly one of --jar, --artifact or --command\n");
        assertThat(client.schedules()).isEmpty();
    }
}
