package io.drover.agent.contain;

import java.util.Locale;

/** How an agent keeps every process of a task attempt within reach ({@code --containment}). */
public enum ContainmentMode {
    /** cgroups where the host lets the agent create them, tracking otherwise. */
    AUTO,
    /** cgroups, or the agent refuses to start. */
    CGROUP,
    /** An environment cookie and a process-table scan on stop; needs no privilege. */
    TRACKED;

    public static ContainmentMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("containment must be auto, cgroup or tracked, was '" + text + "'", e);
        }
    }

    public String flag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
