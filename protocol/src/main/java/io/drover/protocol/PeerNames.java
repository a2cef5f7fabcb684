package io.drover.protocol;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peer name a connection announces in {@code hello}. Agents announce
 * {@code "agent <id> (<purpose>)"}, which lets the coordinator tie every connection of an agent to
 * it, so any of them closing is a hint that the agent died.
 */
public final class PeerNames {
    private static final Pattern AGENT = Pattern.compile("agent (\\S+) \\((\\w+)\\)");

    private PeerNames() {
    }

    public static String agent(String agentId, String purpose) {
        return "agent " + agentId + " (" + purpose + ")";
    }

    /** The agent id in an agent's peer name, if it is one. */
    public static Optional<String> agentId(String peerName) {
        if (peerName == null) {
            return Optional.empty();
        }
        Matcher m = AGENT.matcher(peerName);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
