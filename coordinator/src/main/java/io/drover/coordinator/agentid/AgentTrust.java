package io.drover.coordinator.agentid;

import java.util.Optional;

/**
 * How this coordinator knows agents. Secure: by their certificate (CN = agent id), issued by
 * {@code enrollment}; a connection without one may only say hello and join. Insecure
 * ({@code --insecure}): by the name their hello announces, with no proof.
 */
public record AgentTrust(boolean secure, Optional<AgentEnrollment> enrollment) {
    public AgentTrust {
        if (secure && enrollment.isEmpty()) {
            throw new IllegalArgumentException("a secure coordinator needs an enrollment to issue agents' certificates");
        }
    }

    public static AgentTrust insecure() {
        return new AgentTrust(false, Optional.empty());
    }

    public static AgentTrust secure(AgentEnrollment enrollment) {
        return new AgentTrust(true, Optional.of(enrollment));
    }
}
