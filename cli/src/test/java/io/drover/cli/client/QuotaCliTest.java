package io.drover.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.protocol.thrift.JobView;
import io.drover.protocol.thrift.QuotaWait;
import io.drover.testkit.FakeClientService;
import io.drover.testkit.LoopbackServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code drover quota set|list|remove} and the {@code queued} line of {@code drover status} against a fake
 * coordinator on loopback: what reaches the wire, the text and JSON a user reads, and usage errors (exit 2).
 * (Against a real leader: CoordinatorClusterTest.)
 */
class QuotaCliTest {
    private final FakeClientService leader = FakeClientService.leader();
    private LoopbackServer server;
    private StringWriter out;
    private StringWriter err;

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
        out = new StringWriter();
        err = new StringWriter();
        CommandLine root = ClientCommands.addTo(new CommandLine(new Root()));
        root.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--coordinators=" + server.endpoint());
        return root.execute(all.toArray(String[]::new));
    }

    @Test
    void setListAndRemove() throws Exception {
        assertThat(drover("quota", "set", "alice", "--max-running", "4", "--weight", "3")).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("quota of alice: max running 4, weight 3\n");
        assertThat(drover("quota", "set", "*", "--max-running", "none")).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("quota of *: max running none, weight 1\n");
        assertThat(drover("quota", "set", "alice", "--weight", "5")).as(err.toString()).isZero();
        assertThat(out.toString()).as("the cap is kept").isEqualTo("quota of alice: max running 4, weight 5\n");

        assertThat(drover("quota", "list")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("OWNER").contains("MAX-RUNNING").containsPattern("alice +4 +5 +0 +0 +own")
                .containsPattern("\\* +none +1");
        assertThat(drover("quota", "list", "--output", "json")).as(err.toString()).isZero();
        JsonNode list = new ObjectMapper().readTree(out.toString());
        assertThat(list).hasSize(2);
        JsonNode star = list.get(0);
        assertThat(star.get("owner").asText()).isEqualTo("*");
        assertThat(star.get("maxRunning").isNull()).as("no cap").isTrue();
        assertThat(list.get(1).get("maxRunning").asInt()).isEqualTo(4);

        assertThat(drover("quota", "remove", "alice")).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("quota of alice removed\n");
        assertThat(drover("quota", "remove", "alice")).isEqualTo(ClientCommand.INVALID);
        assertThat(err.toString()).contains("no quota entry for owner alice");
    }

    @Test
    void badValuesAreUsageErrors() {
        assertThat(drover("quota", "set", "alice", "--max-running", "-3")).isEqualTo(ClientCommand.INVALID);
        assertThat(err.toString()).contains("'-3' is not a cap; use a number >= 0, or none");
        assertThat(drover("quota", "set", "alice")).isEqualTo(ClientCommand.INVALID);
        assertThat(err.toString()).contains("give --max-running, --weight or both");
        assertThat(drover("quota")).isEqualTo(ClientCommand.INVALID);
    }

    @Test
    void statusSaysWhyReadyTasksWait() {
        JobView v = FakeClientService.view("j1", "RUNNING", 3);
        v.setQueueWait(new QuotaWait().setReason("QUOTA").setOwner("alice").setRunning(2).setMaxRunning(2).setWeight(1)
                .setOwnersAhead(0).setSummary("owner alice is at its quota: 2 running of at most 2\u001b[2J"));
        leader.script("j1", v);
        assertThat(drover("status", "j1")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("queued     QUOTA: owner alice is at its quota: 2 running of at most 2")
                .doesNotContain("\u001b");
    }
}
