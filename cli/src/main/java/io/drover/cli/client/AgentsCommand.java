package io.drover.cli.client;

import io.drover.cli.options.VersionProvider;

import io.drover.protocol.text.DurationText;
import io.drover.sdk.AgentStatus;
import io.drover.sdk.DroverClient;
import io.drover.sdk.DroverException;
import io.drover.sdk.StoreStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/**
 * {@code drover agents}: a table of the agents the leader knows, then one line per agent whose work
 * has something pending (silent, lost or draining) saying what happens to it per policy, then what
 * the coordinators keep in ZooKeeper.
 */
@Command(name = "agents", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = AgentsRevokeCommand.class,
        description = {"List agents: state (ALIVE, SUSPECT, LOST, DRAINING), pool, slots, running tasks, "
                + "time since the last heartbeat, labels, the release each runs.",
                "Below the table, for each silent, lost or draining agent: how long it has been silent and what "
                        + "happens to its work per its pool's disconnect policy and its jobs' --lost-after.",
                "Last: what the coordinators keep in ZooKeeper (fact log, artifacts, unfinished uploads).",
                "With --output json: the agents as GET /api/v1/agents answers (no store line)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the answer was printed",
            "2:bad usage, or the request was refused",
            "3:no leading coordinator answered",
            "5:any other error",
            "6:permission denied (no token, a refused one, or a role that may not read this)"})
public final class AgentsCommand extends ClientCommand {

    @picocli.CommandLine.Option(names = "--forget", paramLabel = "AGENT",
            description = "Decommission: the coordinator forgets this agent (drain and stop it first).")
    String forget;

    @picocli.CommandLine.Mixin
    OutputOption output;

    @Override
    protected int run(DroverClient client) {
        if (forget != null) {
            client.forgetAgent(forget);
            out().println("forgot agent " + SafeText.of(forget));
            return OK;
        }
        if (output.json()) {
            Instant now = Clock.systemUTC().instant();
            OutputOption.print(out(), client.agents().stream().map(a -> io.drover.web.api.dto.Dtos.agent(a, now)).toList());
            return OK;
        }
        out().print(render(client.agents(), Clock.systemUTC().instant()));
        storeLine(client).ifPresent(out()::println);
        return OK;
    }

    /** The footer; none from an older leader, or when the figures cannot be had (the table still counts). */
    private static java.util.Optional<String> storeLine(DroverClient client) {
        try {
            return client.storeStats().map(AgentsCommand::store);
        } catch (DroverException e) {
            return java.util.Optional.empty();
        }
    }

    /** "store: fact log 1.2 MiB in 340 znodes; artifacts 3 complete (12.0 MiB), 1 upload in progress (4.0 MiB)". Pure. */
    static String store(StoreStats s) {
        String log = s.factLogZnodes() < 0 ? "fact log size unknown"
                : "fact log " + mib(s.factLogBytes()) + " in " + s.factLogZnodes() + " znodes";
        return "store: " + log + "; artifacts " + s.completeArtifacts() + " complete (" + mib(s.completeArtifactBytes())
                + "), " + s.uploadsInProgress() + (s.uploadsInProgress() == 1 ? " upload" : " uploads")
                + " in progress (" + mib(s.uploadBytes()) + ")";
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
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
