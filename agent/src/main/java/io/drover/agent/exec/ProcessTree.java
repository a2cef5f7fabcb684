package io.drover.agent.exec;

import java.util.List;

/** Kills a process together with everything it started. */
public final class ProcessTree {
    private ProcessTree() {
    }

    /**
     * Forcibly kills {@code process} and its descendants. The descendants are listed first: once
     * the parent is gone they are re-parented and can no longer be found from it.
     */
    public static void kill(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }
}
