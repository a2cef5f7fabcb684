package io.drover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.sdk.MisfirePolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class DroverCliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int drover(String... args) {
        CommandLine cl = DroverCli.commandLine();
        cl.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void argumentsStartingWithAnAtSignReachTheCommandAsTyped() {
        ParseResult parsed = DroverCli.commandLine().parseArgs("submit", "--command", "echo", "--arg", "@/etc/hostname");

        ParseResult submit = parsed.subcommand();
        assertThat(submit.matchedOptionValue("--arg", java.util.List.<String>of())).containsExactly("@/etc/hostname");
    }

    @Test
    void enumOptionsIgnoreCase() {
        ParseResult parsed = DroverCli.commandLine().parseArgs("schedule", "add", "nightly", "--cron", "0 0 2 * * ?",
                "--misfire", "skip", "--overlap", "Forbid", "--command", "true");

        ParseResult add = parsed.subcommand().subcommand();
        assertThat(add.matchedOptionValue("--misfire", MisfirePolicy.FIRE_ONCE_NOW)).isEqualTo(MisfirePolicy.SKIP);
    }

    @Test
    void aUsageErrorIsOneLineAndAPointerToHelp() {
        int code = drover("submit", "--command", "true", "--bogus");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("drover: Unknown option: '--bogus'\nsee 'drover submit --help'\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aBadDurationNamesTheOptionOnce() {
        assertThat(drover("schedule", "add", "x", "--cron", "0 0 2 * * ?", "--command", "true", "--timeout", "soon"))
                .isEqualTo(2);
        assertThat(err.toString()).startsWith("drover: Invalid value for option '--timeout': 'soon' is not a duration")
                .endsWith("\nsee 'drover schedule add --help'\n");
        assertThat(err.toString().lines()).hasSize(2);
    }

    @Test
    void aLabelWithoutAValueSaysWhatItTakes() {
        assertThat(drover("submit", "--command", "true", "--label", "zone")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("drover: --label takes KEY=VALUE, got 'zone'\nsee 'drover submit --help'\n");
    }

    @Test
    void theAgentsOwnCommandLineHelpsAndRefusesAsTheFullOneDoes() {
        StringWriter leanOut = new StringWriter();
        StringWriter leanErr = new StringWriter();
        CommandLine lean = DroverCli.agentCommandLine();
        lean.setOut(new PrintWriter(leanOut, true)).setErr(new PrintWriter(leanErr, true));

        assertThat(lean.execute("agent", "--help")).isZero();
        assertThat(drover("agent", "--help")).isZero();
        assertThat(leanOut.toString()).startsWith("Usage: drover agent").isEqualTo(out.toString());
        assertThat(lean.execute("agent", "--bogus")).isEqualTo(2);
        assertThat(leanErr.toString()).isEqualTo("drover: Unknown option: '--bogus'\nsee 'drover agent --help'\n");
        assertThat(lean.getSubcommands()).containsOnlyKeys("agent");
    }
}
