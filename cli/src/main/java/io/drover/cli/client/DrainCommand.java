package io.drover.cli.client;

import io.drover.cli.options.VersionProvider;

import io.drover.sdk.AgentStatus;
import io.drover.sdk.DroverClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code drover drain AGENT [--undo]}. */
@Command(name = "drain", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Drain an agent (no new work; running work finishes), e.g. before an upgrade. "
                + "--undo returns it to service.")
public final class DrainCommand extends ClientCommand {
    @Parameters(paramLabel = "AGENT", description = "Agent id, as listed by 'drover agents'.")
    String agentId;

    @Option(names = "--undo", description = "Stop draining: the agent takes new work again.")
    boolean undo;

    @Override
    protected int run(DroverClient client) {
        AgentStatus a = client.drain(agentId, !undo);
        out().println(SafeText.of(a.agentId()) + " " + a.state() + " (" + a.running() + " running)");
        return OK;
    }
}
