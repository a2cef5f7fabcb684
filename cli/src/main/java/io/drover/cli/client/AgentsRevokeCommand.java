package io.drover.cli.client;

import io.drover.cli.options.VersionProvider;
import io.drover.sdk.AgentStatus;
import io.drover.sdk.DroverClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code drover agents revoke AGENT}. */
@Command(name = "revoke", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Revoke an agent's certificates: every coordinator refuses them from now on, the agent's "
                + "connections are closed within a second and its work is re-queued, as for a lost agent.",
                "The id is free again: the agent (or a new one) joins with a new join token "
                        + "('drover token create --role agent')."})
public final class AgentsRevokeCommand extends ClientCommand {
    @Parameters(paramLabel = "AGENT", description = "Agent id, as listed by 'drover agents'.")
    String agentId;

    @Override
    protected int run(DroverClient client) {
        AgentStatus a = client.revokeAgent(agentId);
        out().println("revoked agent " + SafeText.of(a.agentId()) + "; its certificates are refused and its work re-queued");
        return OK;
    }
}
