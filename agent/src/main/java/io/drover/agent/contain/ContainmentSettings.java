package io.drover.agent.contain;

/** The agent's containment choice and the limits it applies to every process task attempt. */
public record ContainmentSettings(ContainmentMode mode, TaskLimits limits) {
    public static final ContainmentSettings DEFAULTS = new ContainmentSettings(ContainmentMode.AUTO, TaskLimits.NONE);

    public ContainmentSettings {
        mode = mode == null ? ContainmentMode.AUTO : mode;
        limits = limits == null ? TaskLimits.NONE : limits;
    }
}
