package io.drover.agent.launch;

import java.util.Locale;

/** How an agent starts process tasks ({@code --launcher}). */
public enum LauncherMode {
    /** The native launcher where it is installed and starts; the JDK otherwise. */
    AUTO,
    /** The native launcher, or the agent refuses to start. */
    NATIVE,
    /** The JDK's ProcessBuilder, through setsid (and a shell joining the cgroup), as before the launcher. */
    JDK;

    public static LauncherMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("launcher must be auto, native or jdk, was '" + text + "'", e);
        }
    }

    public String flag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
