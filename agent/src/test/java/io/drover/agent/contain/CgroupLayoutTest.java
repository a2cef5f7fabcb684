package io.drover.agent.contain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading /proc/self/cgroup against the mount points, for a pure v2, a hybrid and a plain v1 host. */
class CgroupLayoutTest {
    @TempDir
    Path root;

    @Test
    void pureV2IsOneTreeAtTheRoot() throws IOException {
        touch("cgroup.controllers", "cgroup.procs");

        CgroupLayout layout = CgroupLayout.parse(root, List.of("0::/system.slice/drover-agent.service"));

        assertThat(layout.pureV2()).isTrue();
        assertThat(layout.v2()).contains(root.resolve("system.slice/drover-agent.service"));
        assertThat(layout.memoryV1()).isEmpty();
        assertThat(CgroupLayout.parse(root, List.of("0::/system.slice/drover-agent.service/drover-agent-a-1f2e3d4c-jvm")).v2())
                .as("where an agent moved its JVM: the agent's cgroup is the one above")
                .contains(root.resolve("system.slice/drover-agent.service"));
    }

    @Test
    void hybridHasV1ControllersAndTheUnifiedTree() throws IOException {
        touch("unified/cgroup.procs", "memory/cgroup.procs", "pids/cgroup.procs", "freezer/cgroup.procs", "cpu/cgroup.procs");

        CgroupLayout layout = CgroupLayout.parse(root, List.of("9:name=systemd:/", "8:pids:/", "6:freezer:/",
                "4:memory:/process_api/abc", "1:cpu,cpuacct:/", "0::/"));

        assertThat(layout.pureV2()).isFalse();
        assertThat(layout.v2()).contains(root.resolve("unified"));
        assertThat(layout.memoryV1()).contains(root.resolve("memory/process_api/abc"));
        assertThat(layout.pidsV1()).contains(root.resolve("pids"));
        assertThat(layout.freezerV1()).contains(root.resolve("freezer"));
        assertThat(layout.v1Only().v2()).isEmpty();
    }

    @Test
    void v1WithoutUnifiedTreeAndMissingMountsAreLeftOut() throws IOException {
        touch("memory/cgroup.procs");

        CgroupLayout layout = CgroupLayout.parse(root, List.of("8:pids:/a", "4:memory:/a", "0::/"));

        assertThat(layout.v2()).isEmpty();
        assertThat(layout.memoryV1()).contains(root.resolve("memory/a"));
        assertThat(layout.pidsV1()).isEqualTo(Optional.empty());
        assertThat(CgroupLayout.parse(root.resolve("none"), List.of("garbage", "1:x")).isEmpty()).isTrue();
    }

    private void touch(String... files) throws IOException {
        for (String f : files) {
            Path p = root.resolve(f);
            Files.createDirectories(p.getParent());
            Files.createFile(p);
        }
    }
}
