package io.drover.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.sdk.DroverClient;
import io.drover.sdk.JobStatus;
import io.drover.testkit.FakeClientService;
import io.drover.testkit.LoopbackServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** What Ctrl-C during {@code drover submit --wait} does, run directly rather than by signalling the JVM. */
class InterruptGuardTest {
    private final StringWriter err = new StringWriter();

    @Command(name = "drover")
    static final class Root {
    }

    @Test
    void withoutTheFlagItSaysTheJobRunsOnAndHowToStopIt() {
        List<String> cancelled = new ArrayList<>();
        Function<String, JobStatus> canceller = id -> {
            cancelled.add(id);
            return null;
        };

        InterruptGuard.action("job-1", false, canceller, new PrintWriter(err, true)).run();

        assertThat(err.toString()).isEqualTo("drover: job job-1 is still running; `drover cancel job-1` stops it\n");
        assertThat(cancelled).isEmpty();
    }

    @Test
    void withTheFlagItCancelsTheJobAndSaysSo() {
        FakeClientService leader = FakeClientService.leader();
        leader.script("job-1", FakeClientService.view("job-1", "RUNNING", 2));
        try (LoopbackServer server = LoopbackServer.start(leader);
             DroverClient other = DroverClient.connect(server.endpoint())) {
            InterruptGuard.action("job-1", true, id -> other.job(id).cancel(), new PrintWriter(err, true)).run();

            assertThat(other.job("job-1").status().state().name()).isEqualTo("CANCELLED");
        }
        assertThat(err.toString()).isEqualTo("drover: interrupted: cancelling job job-1 (--cancel-on-interrupt)\n"
                + "drover: job job-1 CANCELLED\n");
    }

    @Test
    void aFailedCancelStillSaysHowToStopTheJobAndTextIsEscaped() {
        InterruptGuard.action("job\u001b[2J", true, id -> {
            throw new IllegalStateException("no coordinator");
        }, new PrintWriter(err, true)).run();

        assertThat(err.toString()).contains("could not cancel job job\\e[2J: no coordinator")
                .contains("`drover cancel job\\e[2J` stops it").doesNotContain("\u001b");
    }

    @Test
    void theHookIsRegisteredOnlyUntilClosed() {
        InterruptGuard open = InterruptGuard.install(() -> { });
        assertThat(Runtime.getRuntime().removeShutdownHook(open.hook())).as("registered while waiting").isTrue();
        open.close(); // already gone: closing is still fine

        InterruptGuard closed = InterruptGuard.install(() -> { });
        closed.close();
        assertThat(Runtime.getRuntime().removeShutdownHook(closed.hook())).as("removed after waiting").isFalse();
    }

    @Test
    void cancelOnInterruptParsesAndNeedsWait() {
        FakeClientService leader = FakeClientService.leader();
        try (LoopbackServer server = LoopbackServer.start(leader)) {
            CommandLine root = ClientCommands.addTo(new CommandLine(new Root()));
            root.setOut(new PrintWriter(new StringWriter(), true)).setErr(new PrintWriter(err, true));
            SubmitCommand submit = root.getSubcommands().get("submit").getCommand();

            root.parseArgs("submit", "--command", "true", "--wait", "--cancel-on-interrupt");
            assertThat(submit.cancelOnInterrupt).isTrue();

            int code = root.execute("submit", "--coordinators=" + server.endpoint(), "--command", "true",
                    "--cancel-on-interrupt");
            assertThat(code).isEqualTo(ClientCommand.INVALID);
            assertThat(err.toString()).contains("--cancel-on-interrupt needs --wait");
            assertThat(leader.submissions()).isEmpty();
        }
    }
}
