package io.drover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

class DroverCliTest {
    @Test
    void argumentsStartingWithAnAtSignReachTheCommandAsTyped() {
        ParseResult parsed = DroverCli.commandLine().parseArgs("submit", "--command", "echo", "--arg", "@/etc/hostname");

        ParseResult submit = parsed.subcommand();
        assertThat(submit.matchedOptionValue("--arg", java.util.List.<String>of())).containsExactly("@/etc/hostname");
    }
}
