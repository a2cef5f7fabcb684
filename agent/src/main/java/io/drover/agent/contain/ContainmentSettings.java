package io.drover.agent.contain;

import io.drover.agent.launch.LauncherMode;

/**
 * The agent's containment choice, the limits it applies to every process task attempt, and how those
 * attempts start ({@code --launcher}: the native launcher or the JDK).
 */
public record ContainmentSettings(ContainmentMode mode, TaskLimits limits, LauncherMode launcher) {
    public static final ContainmentSettings DEFAULTS = new ContainmentSettings(ContainmentMode.AUTO, TaskLimits.NONE);

    public ContainmentSettings {
        mode = mode == null ? ContainmentMode.AUTO : mode;
        limits = limits == null ? TaskLimits.NONE : limits;
        launcher = launcher == null ? LauncherMode.AUTO : launcher;
    }

    /** With the default launcher (auto). */
    public ContainmentSettings(ContainmentMode mode, TaskLimits limits) {
        this(mode, limits, LauncherMode.AUTO);
    }
}
