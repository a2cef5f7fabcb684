package io.drover.cli.client;

import io.drover.cli.options.VersionProvider;

import io.drover.protocol.text.DurationText;
import io.drover.sdk.AgentStatus;
import io.drover.sdk.DroverClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/**
 * {@code drover agents}: a table of the agents the leader knows, then one line per agent whose work
 * has something pending (silent, lost or draining) saying what happens to it per policy.
 */
@Command(name = "agents", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"List agents: state (ALIVE, SUSPECT, LOST, DRAINING), pool, slots, running tasks, "
                + "time since the last heartbeat, labels, the release each runs.",
                "Below the table, for each silent, lost or draining agent: how long it has been silent and what "
                        + "happens to its work per its pool's disconnect policy and its jobs' --lost-after."})
public final class AgentsCommand extends ClientCommand {

    @picocli.CommandLine.Option(names = "--forget", paramLabel = "AGENT",
            description = "Decommission: the coordinator forgets this agent (drain and stop it first).")
    String forget;

    @Override
    protected int run(DroverClient client) {
        if (forget != null) {
            client.forgetAgent(forget);
            out().println("forgot agent " + SafeText.of(forget));
            return OK;
        }
        out().print(render(client.agents(), Clock.systemUTC().instant()));
        return OK;
    }

    /** The table and the pending-action lines. Pure. */
    static String render(List<AgentStatus> agents, Instant now) {
        TextTable table = new TextTable("AGENT", "HOST", "STATE", "POOL", "SLOTS", "RUNNING", "HEARTBEAT", "COMPLETED", "LABELS", "VERSION");
        StringBuilder notes = new StringBuilder();
        for (AgentStatus a : agents) {
            String labels = new TreeMap<>(a.labels()).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
            table.row(a.agentId(), a.host(), a.state(), a.pool().orElse("-"), a.slots(), a.running(),
                    DurationText.age(Duration.between(a.lastHeartbeat(), now)) + " ago", a.completedTasks(),
                    labels.isEmpty() ? "-" : labels, a.softwareVersion().orElse("-"));
            pending(a).ifPresent(line -> notes.append(line).append('\n'));
        }
        return notes.length() == 0 ? table.render() : table.render() + "\n" + notes;
    }

    /**
     * "edge-1: SUSPECT silent 4m12s, pool edge: 3 attempts left alone until LOST in 1h55m, then re-run
     * elsewhere", or empty when nothing is pending for the agent.
     */
    static java.util.Optional<String> pending(AgentStatus a) {
        return a.pendingAction().map(action -> SafeText.of(a.agentId()) + ": " + a.state()
                + a.silentFor().map(d -> " silent " + DurationText.age(d)).orElse("")
                + ", pool " + SafeText.of(a.pool().orElse("default")) + ": " + SafeText.of(action));
    }
}
