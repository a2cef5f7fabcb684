package io.drover.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import example.cli.Pi;
import io.drover.sdk.Codecs;
import io.drover.protocol.thrift.AgentView;
import io.drover.protocol.thrift.JobView;
import io.drover.protocol.thrift.StoreStats;
import io.drover.protocol.thrift.JvmIsolation;
import io.drover.protocol.thrift.TaskView;
import io.drover.testkit.FakeClientService;
import io.drover.testkit.LoopbackServer;
import io.drover.testkit.TestJars;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The client commands end to end through picocli against a fake coordinator on loopback. */
class ClientCommandsTest {
    private final FakeClientService leader = FakeClientService.leader();
    private LoopbackServer server;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Command(name = "drover")
    static final class Root {
    }

    @BeforeEach
    void start() {
        server = LoopbackServer.start(leader);
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    private int drover(String... args) {
        CommandLine root = ClientCommands.addTo(new CommandLine(new Root()));
        root.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, "--coordinators=" + server.endpoint());
        return root.execute(all.toArray(String[]::new));
    }

    @Test
    void submitPrintsTheJobIdAndSendsTheOptions() {
        int code = drover("submit", "--command", "python3 sweep.py", "--param", "-1.5", "--param", "2",
                "--label", "zone=eu", "--timeout", "30s", "--idempotency-key", "k1", "--max-attempts", "5",
                "--lost-after", "2h");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("job-1\n");
        var sent = leader.submissions().get(0);
        assertThat(sent.getCommand()).containsExactly("python3", "sweep.py");
        assertThat(sent.getShardParameters()).containsExactly("-1.5", "2");
        assertThat(sent.getRequiredLabels()).isEqualTo(Map.of("zone", "eu"));
        assertThat(sent.getTaskTimeoutMs()).isEqualTo(30_000);
        assertThat(sent.getMaxAttempts()).isEqualTo(5);
        assertThat(sent.getLostAfterMs()).isEqualTo(7_200_000);
        assertThat(sent.getName()).isEqualTo("python3");
    }

    @Test
    void submitSendsConstraintsAndTheSpreadLabel() {
        int code = drover("submit", "--command", "true", "--constraint", "gpu in (a100,h100)",
                "--constraint", "site != edge-3", "--constraint", "ssd exists", "--spread", "site");

        assertThat(code).as(err.toString()).isZero();
        var sent = leader.submissions().get(0);
        assertThat(sent.getConstraints()).extracting(io.drover.protocol.ConstraintText::format)
                .containsExactly("gpu in (a100,h100)", "site != edge-3", "ssd exists");
        assertThat(sent.getSpreadLabel()).isEqualTo("site");
    }

    @Test
    void submitSendsTheBackupSettingOnlyWhenGivenAndRefusesOtherWords() {
        assertThat(drover("submit", "--command", "true", "--backups", "on")).as(err.toString()).isZero();
        assertThat(drover("submit", "--command", "true")).as(err.toString()).isZero();
        assertThat(leader.submissions().get(0).isSetBackups()).isTrue();
        assertThat(leader.submissions().get(0).isBackups()).isTrue();
        assertThat(leader.submissions().get(1).isSetBackups()).as("the kind's default applies").isFalse();

        assertThat(drover("submit", "--command", "true", "--backups", "sometimes")).isEqualTo(ClientCommand.INVALID);
        assertThat(err.toString()).contains("--backups must be on or off, was 'sometimes'");
        assertThat(leader.submissions()).hasSize(2);
    }

    @Test
    void statusShowsBackupsStartedAndWonAndWhichTaskABackupWon() {
        JobView v = FakeClientService.view("j3", "SUCCEEDED", 2);
        v.setBackupsStarted(1).setBackupsWon(1);
        v.setTasks(List.of(new TaskView(0, "SUCCEEDED", 1).setAgentId("a1"),
                new TaskView(1, "SUCCEEDED", 1).setAgentId("a2").setBackups(1).setBackupWon(true)));
        leader.script("j3", v);

        int code = drover("status", "j3", "--tasks");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("backups    1 started for slow tasks, 1 won")
                .contains("TASK  STATE      ATTEMPTS  AGENT  BACKUP").contains("1     SUCCEEDED  1         a2     won");
    }

    @Test
    void aMalformedConstraintIsRefusedBeforeSubmittingWithTheReason() {
        int code = drover("submit", "--command", "true", "--constraint", "gpu in a100");

        assertThat(code).isEqualTo(ClientCommand.INVALID);
        assertThat(err.toString()).isEqualTo("drover: invalid job spec: constraint 'gpu in a100': in takes a list in "
                + "parentheses, e.g. gpu in (a100,h100)\n");
        assertThat(leader.submissions()).isEmpty();
    }

    @Test
    void anInvalidSpecIsOneLineOnStderrAndExitCode2() {
        int code = drover("submit", "--command", "true", "--shards", "0");

        assertThat(code).isEqualTo(ClientCommand.INVALID);
        assertThat(err.toString()).isEqualTo("drover: invalid job spec: shards must be 1..1000000, was 0\n");
        assertThat(leader.submissions()).isEmpty();
    }

    @Test
    void submitTakesTheCommandAsArgumentsAfterDoubleDash() {
        int code = drover("submit", "--shards", "2", "--", "sh", "-c", "echo \"$DROVER_SHARD_INDEX\" \\$x 'q'", "--shards");

        assertThat(code).as(err.toString()).isZero();
        var sent = leader.submissions().get(0);
        assertThat(sent.getCommand()).as("as given, nothing split or unquoted")
                .containsExactly("sh", "-c", "echo \"$DROVER_SHARD_INDEX\" \\$x 'q'", "--shards");
        assertThat(sent.getShardCount()).isEqualTo(2);
        assertThat(sent.getName()).isEqualTo("sh");
    }

    @Test
    void submitTakesOneCommandOnly() {
        assertThat(drover("submit", "--command", "true", "--", "false")).isEqualTo(ClientCommand.INVALID);
        assertThat(err.toString()).isEqualTo("drover: give exactly one of --jar, --artifact, --command or -- PROGRAM ARGS...\n");
    }

    @Test
    void submitHelpSaysHowACommandIsSplit() {
        assertThat(drover("submit", "--help")).isZero();
        assertThat(out.toString().replaceAll("\\s+", " ")).contains("drover submit [options] -- PROGRAM ARGS...")
                .contains("single quotes").contains("double quotes").contains("nothing is expanded");
    }

    @Test
    void submitNeedsExactlyOneKindOfJob() {
        assertThat(drover("submit", "--jar", "x.jar", "--command", "true")).isEqualTo(ClientCommand.INVALID);
        assertThat(err.toString()).isEqualTo("drover: give exactly one of --jar, --artifact, --command or -- PROGRAM ARGS...\n");
    }

    @Test
    void submitWaitUploadsTheJarAndPrintsTheResultWithTheChosenCodec(@TempDir Path tmp) throws IOException {
        Path jar = TestJars.write(tmp.resolve("job.jar"), Pi.class);
        leader.script("job-1", FakeClientService.view("job-1", "RUNNING", 2),
                FakeClientService.withResult(FakeClientService.view("job-1", "SUCCEEDED", 3),
                        Codecs.int64Array().encode(new long[] {3, 4})));

        int code = drover("submit", "--jar", jar.toString(), "--class", "example.cli.Pi", "--wait", "--plain", "--codec", "pi");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("job-1\n3.000000 (3 hits / 4 samples");
        assertThat(err.toString()).contains("job-1 RUNNING [").contains("job-1 SUCCEEDED [");
        assertThat(leader.submissions().get(0).getName()).isEqualTo("Pi");
        assertThat(leader.submissions().get(0).getIsolation()).as("the default").isEqualTo(JvmIsolation.WORKER);
    }

    @Test
    void submitInAgentAsksForInAgentIsolation(@TempDir Path tmp) throws IOException {
        Path jar = TestJars.write(tmp.resolve("job.jar"), Pi.class);

        int code = drover("submit", "--jar", jar.toString(), "--class", "example.cli.Pi", "--in-agent");

        assertThat(code).as(err.toString()).isZero();
        assertThat(leader.submissions().get(0).getIsolation()).isEqualTo(JvmIsolation.IN_AGENT);
    }

    @Test
    void aClassMissingFromTheJarFailsBeforeAnyUpload(@TempDir Path tmp) {
        Path jar = TestJars.write(tmp.resolve("job.jar"), Pi.class);

        int code = drover("submit", "--jar", jar.toString(), "--class", "nope.Missing");

        assertThat(code).isEqualTo(ClientCommand.INVALID);
        assertThat(err.toString()).isEqualTo("drover: no class nope.Missing in job.jar\n");
        assertThat(leader.chunkOffsets()).as("nothing uploaded").isEmpty();
        assertThat(leader.submissions()).isEmpty();

        assertThat(drover("submit", "--jar", jar.toString(), "--class", "x.pi")).isEqualTo(ClientCommand.INVALID);
        assertThat(err.toString()).endsWith("drover: no class x.pi in job.jar; did you mean example.cli.Pi?\n");
        assertThat(leader.chunkOffsets()).isEmpty();
    }

    @Test
    void inAgentIsForJvmJobsOnly() {
        assertThat(drover("submit", "--command", "true", "--in-agent")).isEqualTo(ClientCommand.INVALID);
        assertThat(err.toString()).isEqualTo("drover: invalid job spec: isolation IN_AGENT applies to JVM jobs only\n");
    }

    @Test
    void watchExitsNonZeroForAFailedJob() {
        JobView failed = FakeClientService.view("j9", "FAILED", 2);
        failed.setError("shard 0: boom");
        leader.script("j9", FakeClientService.view("j9", "RUNNING", 2), failed);

        int code = drover("watch", "j9", "--plain");

        assertThat(code).isEqualTo(ClientCommand.JOB_NOT_SUCCEEDED);
        assertThat(out.toString()).contains("j9 RUNNING [").contains("j9 FAILED [").endsWith("error: shard 0: boom\n");
    }

    @Test
    void statusShowsTasksAndShardResults() {
        JobView v = FakeClientService.view("j2", "SUCCEEDED", 2);
        v.setTasks(List.of(new TaskView(0, "SUCCEEDED", 1).setAgentId("a1"), new TaskView(1, "SUCCEEDED", 2)));
        v.setShardResults(List.of(java.nio.ByteBuffer.wrap(Codecs.int64().encode(5L)),
                java.nio.ByteBuffer.wrap(Codecs.int64().encode(6L))));
        leader.script("j2", v);

        int code = drover("status", "j2", "--tasks", "--codec", "int64");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("state      SUCCEEDED").contains("TASK  STATE      ATTEMPTS  AGENT")
                .contains("1     SUCCEEDED  2         -").contains("shard 0: 5\nshard 1: 6\n");
    }

    @Test
    void statusExitCodeSaysWhetherTheJobFailed() {
        leader.script("f", FakeClientService.view("f", "FAILED", 1));
        leader.script("c", FakeClientService.view("c", "CANCELLED", 1));
        leader.script("r", FakeClientService.view("r", "RUNNING", 1));
        leader.script("s", FakeClientService.view("s", "SUCCEEDED", 1));

        assertThat(drover("status", "f")).isEqualTo(ClientCommand.JOB_NOT_SUCCEEDED);
        assertThat(drover("status", "c")).isEqualTo(ClientCommand.JOB_NOT_SUCCEEDED);
        assertThat(drover("status", "r")).isEqualTo(ClientCommand.OK);
        assertThat(drover("status", "s")).as(err.toString()).isEqualTo(ClientCommand.OK);
        assertThat(out.toString()).contains("state      FAILED").contains("state      CANCELLED");
    }

    @Test
    void statusHelpListsTheExitCodes() {
        assertThat(drover("status", "--help")).isZero();

        assertThat(out.toString()).contains("Exit codes:")
                .containsPattern("(?m)^ +0 +the job succeeded or is still running \\(or waiting\\)$")
                .containsPattern("(?m)^ +1 +the job failed, was cancelled or skipped$")
                .containsPattern("(?m)^ +2 +")
                .containsPattern("(?m)^ +3 +no leading coordinator answered$");
    }

    @Test
    void statusCountsCancelledTasks() {
        JobView v = FakeClientService.view("jc", "CANCELLED", 5);
        v.setSucceeded(2);
        v.setFailed(1); // 2 left: cancelled
        leader.script("jc", v);

        drover("status", "jc");

        assertThat(out.toString()).contains("tasks      5 total: 2 succeeded, 1 failed, 2 cancelled, 0 running, 0 pending\n");
    }

    @Test
    void statusCapsALongBinaryResultAndSaysHowToGetAll() {
        byte[] big = new byte[18_449]; // 36,898 hex characters in full
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7);
        }
        leader.script("big", FakeClientService.withResult(FakeClientService.view("big", "SUCCEEDED", 1), big));

        assertThat(drover("status", "big")).as(err.toString()).isZero();

        String line = out.toString().lines().filter(l -> l.startsWith("result")).findFirst().orElseThrow();
        assertThat(line).isEqualTo("result     " + java.util.HexFormat.of().formatHex(big, 0, 1024)
                + " ... (18449 bytes; --raw for all)");
    }

    @Test
    void statusCapsALongTextResultAndEscapesIt() {
        String text = "\u001b[2J" + "a".repeat(9_996);
        leader.script("txt", FakeClientService.withResult(FakeClientService.view("txt", "SUCCEEDED", 1),
                text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        assertThat(drover("status", "txt", "--codec", "utf8")).as(err.toString()).isZero();

        assertThat(out.toString()).doesNotContain("\u001b")
                .contains("result     \\e[2J" + "a".repeat(4_092) + " ... (10000 bytes; --raw for all)\n");
    }

    @Test
    void statusSaysHowToReadEightBytesAsANumber() {
        leader.script("n", FakeClientService.withResult(FakeClientService.view("n", "SUCCEEDED", 1),
                Codecs.int64().encode(9592L)));

        assertThat(drover("status", "n")).isZero();

        assertThat(out.toString()).contains("result     0000000000002578  (hex; --codec int64 or --codec float64 "
                + "reads 8 bytes as a number)\n");
    }

    @Test
    void statusPrintsTheResultInTheCodecTheJobDeclaredUnlessTold() {
        JobView v = FakeClientService.withResult(FakeClientService.view("n64", "SUCCEEDED", 1),
                Codecs.int64().encode(148_933L));
        v.setResultCodec("int64");
        leader.script("n64", v);

        assertThat(drover("status", "n64")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("result     148933\n");
        out.getBuffer().setLength(0);
        assertThat(drover("status", "n64", "--codec", "hex")).isZero();
        assertThat(out.toString()).contains("result     00000000000245c5\n");
    }

    @Test
    void statusPreviewsAResultOfTheJobsOwnCodecAndSaysHowToGetTheBytes() {
        byte[] bytes = new byte[100];
        bytes[0] = 'p';
        bytes[1] = 0x1b;
        bytes[2] = '"';
        JobView v = FakeClientService.withResult(FakeClientService.view("own", "SUCCEEDED", 1), bytes);
        v.setResultCodec("com.example.PointCodec");
        leader.script("own", v);

        assertThat(drover("status", "own")).as(err.toString()).isZero();

        String shown = out.toString().lines().filter(l -> l.startsWith("result")).findFirst().orElseThrow();
        assertThat(shown).startsWith("result     100 bytes in the job's codec com.example.PointCodec (drover cannot "
                + "decode it; --raw for the bytes): \"p\\x1b\\\"\\x00").endsWith("\"...").hasSizeLessThan(400);
    }

    @Test
    void statusRawWritesTheExactResultBytesAndNothingElse() {
        byte[] bytes = {0, 1, 2, (byte) 0xff, '\n', 0x1b};
        leader.script("raw", FakeClientService.withResult(FakeClientService.view("raw", "SUCCEEDED", 1), bytes));
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        int code;
        System.setOut(new java.io.PrintStream(captured, true));
        try {
            code = drover("status", "raw", "--raw");
        } finally {
            System.setOut(stdout);
        }

        assertThat(code).as(err.toString()).isZero();
        assertThat(captured.toByteArray()).containsExactly(bytes);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void statusRawPicksAShardAndRefusesAJobWithoutAResult() {
        JobView v = FakeClientService.view("sh", "SUCCEEDED", 2);
        v.setShardResults(List.of(java.nio.ByteBuffer.wrap(new byte[] {1}), java.nio.ByteBuffer.wrap(new byte[] {2, 3})));
        leader.script("sh", v);
        leader.script("fl", FakeClientService.view("fl", "FAILED", 1));
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true));
        try {
            assertThat(drover("status", "sh", "--raw")).isEqualTo(ClientCommand.INVALID);
            assertThat(err.toString()).contains("drover: job sh has 2 shard results: give --shard N with --raw");
            assertThat(drover("status", "sh", "--raw", "--shard", "1")).as(err.toString()).isZero();
            assertThat(drover("status", "fl", "--raw")).isEqualTo(ClientCommand.JOB_NOT_SUCCEEDED);
            assertThat(err.toString()).contains("drover: job fl is FAILED: no result");
        } finally {
            System.setOut(stdout);
        }
        assertThat(captured.toByteArray()).containsExactly(2, 3);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void unknownJobIsAClearError() {
        assertThat(drover("status", "nope")).isEqualTo(ClientCommand.INVALID);
        assertThat(err.toString()).isEqualTo("drover: unknown job nope\n");
    }

    @Test
    void listsAgentsDrainsAndCancels() {
        leader.addAgent(new AgentView("a1", "edge-1", "ALIVE", 4, 1, System.currentTimeMillis(), Map.of("zone", "eu"), 3)
                .setSoftwareVersion("0.3.1"));
        leader.addAgent(new AgentView("a2", "edge-2", "ALIVE", 4, 0, System.currentTimeMillis(), Map.of("zone", "eu"), 0));
        drover("submit", "--command", "sleep 100");

        assertThat(drover("agents")).isZero();
        assertThat(drover("drain", "a1")).isZero();
        assertThat(drover("cancel", "job-1")).isZero();
        assertThat(drover("jobs")).isZero();

        assertThat(out.toString()).contains("AGENT  HOST    STATE  POOL  SLOTS  RUNNING  HEARTBEAT")
                .contains("a1     edge-1  ALIVE  -     4      1").contains("zone=eu")
                .containsPattern("(?m)^a1 .* zone=eu +0\\.3\\.1$").as("release not told: -").containsPattern("(?m)^a2 .* zone=eu +-$")
                .contains("a1 DRAINING (1 running)").contains("job-1 CANCELLED")
                .contains("job-1  job   tester  CANCELLED  0/1");
    }

    @Test
    void agentsShowsSilentAgentsWithWhatHappensToTheirWork() {
        AgentView edge = new AgentView("edge-1", "h1", "SUSPECT", 4, 3, System.currentTimeMillis() - 252_000,
                Map.of("pool", "edge"), 0);
        edge.setSilentForMs(252_000).setPool("edge")
                .setPendingAction("3 attempts left alone until LOST in 1h55m, then re-run elsewhere");
        AgentView lost = new AgentView("dc-2", "h2", "LOST", 4, 0, System.currentTimeMillis() - 20_000, Map.of(), 5);
        lost.setSilentForMs(20_000).setPendingAction("2 attempts re-run elsewhere");
        leader.addAgent(edge);
        leader.addAgent(lost);
        leader.addAgent(new AgentView("dc-1", "h3", "ALIVE", 4, 1, System.currentTimeMillis(), Map.of(), 3));

        assertThat(drover("agents")).isZero();

        assertThat(out.toString()).contains("edge-1  h1    SUSPECT  edge  4      3")
                .contains("dc-2    h2    LOST     -     4      0")
                .endsWith("\n"
                        + "edge-1: SUSPECT silent 4m12s, pool edge: 3 attempts left alone until LOST in 1h55m, then re-run elsewhere\n"
                        + "dc-2: LOST silent 20s, pool default: 2 attempts re-run elsewhere\n");
        assertThat(out.toString()).doesNotContain("dc-1:");
    }

    @Test
    void agentsEndsWithWhatTheCoordinatorsKeepInZooKeeper() {
        long mib = 1024 * 1024;
        leader.addAgent(new AgentView("dc-1", "h3", "ALIVE", 4, 1, System.currentTimeMillis(), Map.of(), 3));
        leader.storeStats(new StoreStats(340, mib + mib / 5, 3, 12 * mib, 1, 4 * mib, System.currentTimeMillis()));

        assertThat(drover("agents")).isZero();

        assertThat(out.toString()).contains("dc-1").endsWith("\n"
                + "store: fact log 1.2 MiB in 340 znodes; artifacts 3 complete (12.0 MiB), 1 upload in progress (4.0 MiB)\n");
    }

    private static final String EVIL = "evil\u001b[2J\r\nFAKE ROW";
    private static final String EVIL_SHOWN = "evil\\e[2J\\r\\nFAKE ROW";

    @Test
    void controlCharactersFromTheWireAreShownEscapedInJobsAndStatus() {
        JobView v = FakeClientService.view("j-evil", "FAILED", 1);
        v.setName(EVIL);
        v.setOwner("own\u009ber");
        v.setError("boom\u0007\nFAKE LINE");
        v.setTasks(List.of(new TaskView(0, "FAILED", 1).setAgentId("a\u001b[31m1").setError("x\ry")));
        leader.script("j-evil", v);

        assertThat(drover("jobs")).as(err.toString()).isZero();
        assertThat(drover("status", "j-evil", "--tasks")).as(err.toString()).isEqualTo(ClientCommand.JOB_NOT_SUCCEEDED);

        String shown = out.toString();
        assertThat(shown).doesNotContain("\u001b", "\r", "\u0007", "\u009b")
                .contains(EVIL_SHOWN).contains("own\\u009ber")
                .contains("job        j-evil (" + EVIL_SHOWN + ", owner own\\u009ber)")
                .contains("error      boom\\a\\nFAKE LINE")
                .contains("a\\e[31m1").contains("x\\ry");
        assertThat(shown.lines()).as("no forged rows or lines").noneMatch(l -> l.startsWith("FAKE"));
        assertThat(shown.lines().filter(l -> l.startsWith("j-evil"))).singleElement().asString()
                .contains(EVIL_SHOWN + "  own\\u009ber  FAILED");
    }

    @Test
    void anErrorMessageFromTheWireIsShownEscaped() {
        assertThat(drover("status", "no\u001b]0;pwned\u0007pe")).isEqualTo(ClientCommand.INVALID);
        assertThat(err.toString()).isEqualTo("drover: unknown job no\\e]0;pwned\\ape\n");
    }

    @Test
    void anAgentsPendingLineIsShownEscaped() {
        AgentView a = new AgentView("a\r\nFAKE", "h\u001b1", "LOST", 4, 0, System.currentTimeMillis(), Map.of(), 0);
        a.setPendingAction("re-run\u001b[2J");
        leader.addAgent(a);

        assertThat(drover("agents")).isZero();

        assertThat(out.toString()).doesNotContain("\u001b", "\r").contains("a\\r\\nFAKE  h\\e1")
                .endsWith("a\\r\\nFAKE: LOST, pool default: re-run\\e[2J\n");
    }

    @Test
    void anUnreachableCoordinatorIsExitCode3() throws IOException {
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        CommandLine cmd = new CommandLine(new JobsCommand()).setErr(new PrintWriter(err, true));

        int code = cmd.execute("--coordinators", "127.0.0.1:" + freePort, "--retry-deadline", "0s");

        assertThat(code).isEqualTo(ClientCommand.UNAVAILABLE);
        assertThat(err.toString()).startsWith("drover: nothing listens at [127.0.0.1:" + freePort + "]: connection refused")
                .doesNotContain("\tat ");
    }

    @Test
    void coordinatorsDefaultToTheLocalPort() {
        CommandLine cmd = new CommandLine(new JobsCommand());
        cmd.parseArgs();
        assertThat(((JobsCommand) cmd.getCommand()).coordinator.coordinators)
                .isEqualTo(System.getenv().getOrDefault("DROVER_COORDINATORS", "127.0.0.1:7420"));
    }
}
