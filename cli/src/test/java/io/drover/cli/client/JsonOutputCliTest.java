package io.drover.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.protocol.thrift.AgentView;
import io.drover.protocol.thrift.JobView;
import io.drover.protocol.thrift.TaskView;
import io.drover.testkit.FakeClientService;
import io.drover.testkit.LoopbackServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code --output json} of the read commands against a fake coordinator on loopback: one JSON document on stdout,
 * the HTTP API's fields, user text escaped by JSON and not by the terminal escaping, and the text output unchanged
 * by default. (Schedules: ScheduleCliClusterTest, whose coordinator serves them.)
 */
class JsonOutputCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
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

    private JsonNode json() throws Exception {
        return JSON.readTree(out.toString());
    }

    @Test
    void jobsPrintsTheApiJobList() throws Exception {
        JobView running = FakeClientService.view("j1", "RUNNING", 4);
        running.setName("evil\u001b[2Jname");
        leader.script("j1", running);
        leader.script("j2", FakeClientService.view("j2", "SUCCEEDED", 2));

        assertThat(drover("jobs", "--output", "json")).as(err.toString()).isZero();
        JsonNode list = json();
        assertThat(list.get("scanned").asInt()).isEqualTo(2);
        JsonNode j1 = list.get("jobs").findParents("id").stream().filter(j -> j.get("id").asText().equals("j1"))
                .findFirst().orElseThrow();
        assertThat(j1.get("name").asText()).as("JSON escapes it; the text is the job's").isEqualTo("evil\u001b[2Jname");
        assertThat(out.toString()).contains("evil\\u001B[2Jname").doesNotContain("\u001b");
        assertThat(j1.get("state").asText()).isEqualTo("RUNNING");
        assertThat(j1.get("pending").asInt()).isEqualTo(4);
        assertThat(j1.get("progress").asDouble()).isZero();
        assertThat(j1.get("submittedAt").asText()).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(j1.has("etaSeconds")).isTrue();

        out.getBuffer().setLength(0);
        assertThat(drover("jobs")).isZero();
        assertThat(out.toString()).startsWith("JOB").doesNotContain("{");
    }

    @Test
    void statusPrintsTheApiJobWithItsResult_andWithTasksEveryTask() throws Exception {
        JobView done = FakeClientService.withResult(FakeClientService.view("j3", "SUCCEEDED", 1),
                "3.14\n".getBytes(StandardCharsets.UTF_8));
        TaskView t = new TaskView(0, "SUCCEEDED", 2);
        t.setAgentId("agent-1");
        t.setError("first attempt timed out");
        done.setTasks(List.of(t));
        leader.script("j3", done);

        assertThat(drover("status", "j3", "--output", "json")).as(err.toString()).isZero();
        JsonNode job = json();
        assertThat(job.get("id").asText()).isEqualTo("j3");
        assertThat(job.get("result").get("format").asText()).isEqualTo("text");
        assertThat(job.get("result").get("value").asText()).isEqualTo("3.14\n");
        assertThat(job.get("result").get("bytes").asInt()).isEqualTo(5);

        out.getBuffer().setLength(0);
        assertThat(drover("status", "j3", "--tasks", "--output", "JSON")).as(err.toString()).isZero();
        JsonNode detail = json();
        assertThat(detail.get("job").get("id").asText()).isEqualTo("j3");
        assertThat(detail.get("tasks").get(0).get("agent").asText()).isEqualTo("agent-1");
        assertThat(detail.get("tasks").get(0).get("attempts").asInt()).isEqualTo(2);
        assertThat(detail.get("tasks").get(0).get("error").asText()).isEqualTo("first attempt timed out");
    }

    @Test
    void statusKeepsItsExitCodesWithJson() throws Exception {
        leader.script("f", FakeClientService.view("f", "FAILED", 1));
        assertThat(drover("status", "f", "--output", "json")).isEqualTo(ClientCommand.JOB_NOT_SUCCEEDED);
        assertThat(json().get("state").asText()).isEqualTo("FAILED");
        assertThat(drover("status", "f", "--output", "yaml")).isEqualTo(2);
        assertThat(err.toString()).contains("--output").contains("use text or json");
    }

    @Test
    void agentsPrintsTheApiAgents() throws Exception {
        AgentView a = new AgentView("edge-1", "10.0.0.7", "SUSPECT", 4, 1, System.currentTimeMillis() - 5_000,
                Map.of("pool", "edge"), 12);
        a.setPool("edge");
        a.setSilentForMs(5_000);
        a.setPendingAction("1 attempt left alone until LOST in 1h");
        leader.addAgent(a);

        assertThat(drover("agents", "--output", "json")).as(err.toString()).isZero();
        JsonNode agent = json().get(0);
        assertThat(agent.get("id").asText()).isEqualTo("edge-1");
        assertThat(agent.get("state").asText()).isEqualTo("SUSPECT");
        assertThat(agent.get("pool").asText()).isEqualTo("edge");
        assertThat(agent.get("labels").get("pool").asText()).isEqualTo("edge");
        assertThat(agent.get("silentForSeconds").asLong()).isEqualTo(5);
        assertThat(agent.get("completedTasks").asLong()).isEqualTo(12);
        assertThat(agent.get("pendingAction").asText()).startsWith("1 attempt");
        assertThat(out.toString()).doesNotContain("store:");
    }

    @Test
    void auditPrintsAnArray() throws Exception {
        assertThat(drover("audit", "--output", "json")).as(err.toString()).isZero();
        assertThat(json().isArray()).isTrue();
    }

    @Test
    void theHelpOfEveryReadCommandListsExitCodesAndTheOutputOption() {
        for (String[] cmd : List.of(new String[] {"jobs"}, new String[] {"status"}, new String[] {"agents"},
                new String[] {"audit"}, new String[] {"watch"}, new String[] {"schedule", "list"},
                new String[] {"schedule", "show"})) {
            out.getBuffer().setLength(0);
            List<String> args = new ArrayList<>(List.of(cmd));
            args.add("--help");
            CommandLine root = ClientCommands.addTo(new CommandLine(new Root()));
            root.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
            assertThat(root.execute(args.toArray(String[]::new))).as(err.toString()).isZero();
            assertThat(out.toString()).as(String.join(" ", cmd)).contains("Exit codes:").contains("3   no leading coordinator");
            if (!cmd[0].equals("watch")) {
                assertThat(out.toString()).as(String.join(" ", cmd)).contains("--output=FORMAT");
            }
        }
    }
}
