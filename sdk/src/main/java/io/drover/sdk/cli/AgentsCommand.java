package io.drover.sdk.cli;

import io.drover.sdk.AgentStatus;
import io.drover.sdk.DroverClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** {@code drover agents}: a table of the agents the leader knows. */
@Command(name = "agents", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "List agents: state (ALIVE, SUSPECT, LOST, DRAINING), slots, running tasks, "
                + "time since the last heartbeat, labels.")
public final class AgentsCommand extends ClientCommand {

    @picocli.CommandLine.Option(names = "--forget", paramLabel = "AGENT",
            description = "Decommission: the coordinator forgets this agent (drain and stop it first).")
    String forget;

    @Override
    protected int run(DroverClient client) {
        if (forget != null) {
            client.forgetAgent(forget);
            out().println("forgot agent " + forget);
            return OK;
        }
        Instant now = Clock.systemUTC().instant();
        TextTable table = new TextTable("AGENT", "HOST", "STATE", "SLOTS", "RUNNING", "HEARTBEAT", "COMPLETED", "LABELS");
        for (AgentStatus a : client.agents()) {
            String labels = new TreeMap<>(a.labels()).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
            table.row(a.agentId(), a.host(), a.state(), a.slots(), a.running(),
                    Ages.compact(Duration.between(a.lastHeartbeat(), now)) + " ago", a.completedTasks(),
                    labels.isEmpty() ? "-" : labels);
        }
        out().print(table.render());
        return OK;
    }
}
