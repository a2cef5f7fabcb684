package io.drover.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.DroverCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A new user's first client command, with no coordinator started: a prompt answer that says what to do. */
class NoCoordinatorCliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void refusedConnectionsFailFastWithAHint() throws IOException {
        String a = "127.0.0.1:" + freePort();
        String b = "127.0.0.1:" + freePort();
        CommandLine cli = DroverCli.commandLine();
        cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));

        long started = System.nanoTime();
        int code = cli.execute("status", "--coordinators=" + a + "," + b, "job-1");
        long ms = (System.nanoTime() - started) / 1_000_000;

        System.out.println("drover status with nothing listening answered in " + ms + " ms");
        assertThat(code).isEqualTo(ClientCommand.UNAVAILABLE);
        assertThat(ms).as("well below the 15 s retry deadline").isLessThan(3_000);
        assertThat(err.toString())
                .contains(a).contains(b).contains("connection refused")
                .contains("is a coordinator running?").contains("DROVER_COORDINATORS").contains("--coordinators");
    }

    /** A port nothing listens on: bound once by the system, then released. */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
