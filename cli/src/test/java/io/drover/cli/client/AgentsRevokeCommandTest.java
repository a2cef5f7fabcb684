package io.drover.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/** {@code drover agents revoke ID} parses as the agents command's subcommand. */
class AgentsRevokeCommandTest {
    @Test
    void revokeIsASubcommandOfAgentsTakingTheId() {
        CommandLine.ParseResult parsed = new CommandLine(new AgentsCommand()).parseArgs("revoke", "edge-7");
        assertThat(parsed.hasSubcommand()).isTrue();
        AgentsRevokeCommand revoke = (AgentsRevokeCommand) parsed.subcommand().commandSpec().userObject();
        assertThat(revoke.agentId).isEqualTo("edge-7");
    }
}
