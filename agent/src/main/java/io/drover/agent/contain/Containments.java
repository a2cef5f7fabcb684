package io.drover.agent.contain;

import io.drover.agent.platform.ProcessTree;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the agent's containment at start ({@code --containment auto|cgroup|tracked}) and logs the choice. */
public final class Containments {
    private static final Logger log = LoggerFactory.getLogger(Containments.class);

    private Containments() {
    }

    /**
     * AUTO: cgroups when the agent may create them (and they can enforce the limits asked for),
     * tracking otherwise. CGROUP: cgroups or an {@link IllegalStateException}. TRACKED: tracking,
     * and limits are refused (nothing could enforce them).
     */
    public static Containment choose(ContainmentSettings settings, String agentId, Path workDir) {
        TaskLimits limits = settings.limits();
        if (settings.mode() == ContainmentMode.TRACKED) {
            if (limits.any()) {
                throw new IllegalStateException("memory and pids limits need --containment cgroup (or auto on a host that has cgroups)");
            }
            return logged(TrackedContainment.onHost(ProcessTree.detect()));
        }
        try {
            return logged(CgroupContainment.create(CgroupLayout.host(), agentId, workDir, limits));
        } catch (IOException | RuntimeException e) {
            if (settings.mode() == ContainmentMode.CGROUP || limits.any()) {
                throw new IllegalStateException("agent " + agentId + " cannot contain tasks in cgroups: " + e.getMessage(), e);
            }
            log.info("agent {}: cgroups not usable ({}); tracking task processes instead", agentId, e.getMessage());
            return logged(TrackedContainment.onHost(ProcessTree.detect()));
        }
    }

    private static Containment logged(Containment containment) {
        log.info("process task containment: {}", containment.description());
        return containment;
    }
}
