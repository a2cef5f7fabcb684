package io.drover.agent.contain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool of attempt cgroups on real v1 hierarchies (root only; skipped elsewhere): one cgroup
 * serves successive attempts, each with its own limits and limit counters, and an agent starting
 * removes the parents of agents that are gone, but not those of live agents or that hold processes.
 */
class CgroupPoolTest {
    @TempDir
    Path workDir;
    private final String id = "pool-test-" + ThreadLocalRandom.current().nextInt(1_000_000);
    private CgroupLayout layout;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<Path> made = new ArrayList<>();

    @BeforeEach
    void v1Hierarchies() throws IOException {
        layout = CgroupLayout.host().v1Only();
        assumeTrue(layout.memoryV1().isPresent() && layout.pidsV1().isPresent() && layout.freezerV1().isPresent(),
                "this host has no cgroup v1 memory, pids and freezer hierarchies");
        assumeTrue(Files.isWritable(layout.memoryV1().get()), "cannot create cgroups here (run as root for these tests)");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        for (int i = made.size() - 1; i >= 0; i--) {
            Files.deleteIfExists(made.get(i));
        }
    }

    @Test
    void successiveAttemptsShareOneCgroupAndConcurrentOnesDoNot() throws Exception {
        CgroupContainment containment = containment(TaskLimits.NONE);
        AttemptCgroup first = (AttemptCgroup) containment.enclose(1, TaskLimits.NONE);
        AttemptCgroup second = (AttemptCgroup) containment.enclose(2, TaskLimits.NONE);
        assertThat(second.launch(List.of("x"))).isNotEqualTo(first.launch(List.of("x")));
        run(first, "true");
        first.close();
        second.close();

        for (long attempt = 3; attempt < 8; attempt++) {
            Enclosure next = containment.enclose(attempt, TaskLimits.NONE);
            assertThat(run(next, "true")).isZero();
            next.close();
        }
        assertThat(slots()).hasSize(2);
    }

    @Test
    void eachAttemptHasItsOwnLimitsAndCounters() throws Exception {
        CgroupContainment containment = containment(TaskLimits.NONE);
        TaskLimits tight = new TaskLimits(16L << 20, 8);
        Enclosure hog = containment.enclose(1, tight);
        assertThat(run(hog, "head -c 200M /dev/zero | tail")).isNotZero();
        assertThat(hog.limitHit()).hasValueSatisfying(hit -> assertThat(hit).startsWith("killed: over its memory limit of 16 MiB"));
        hog.close();
        Path memory = slots().get(0);
        assertThat(read(memory.resolve("memory.limit_in_bytes"))).isEqualTo(Long.toString(16L << 20));

        Enclosure sameLimits = containment.enclose(2, tight);
        assertThat(run(sameLimits, "exit 3")).isEqualTo(3);
        assertThat(sameLimits.limitHit()).as("the earlier attempt's OOM kill is not this one's").isEmpty();
        sameLimits.close();

        Enclosure unlimited = containment.enclose(3, TaskLimits.NONE);
        assertThat(run(unlimited, "head -c 64M /dev/zero | tail | wc -c")).isZero();
        unlimited.close();
        assertThat(slots()).containsExactly(memory);
        assertThat(Long.parseLong(read(memory.resolve("memory.limit_in_bytes")))).isGreaterThan(1L << 40);
        assertThat(read(layout.pidsV1().get().resolve(memory.getParent().getFileName()).resolve(memory.getFileName())
                .resolve("pids.max"))).isEqualTo("max");
    }

    @Test
    void aStartingAgentRemovesParentsOfAgentsThatAreGoneOnly() throws Exception {
        Path own = layout.memoryV1().get();
        long self = ProcessHandle.current().pid();
        long start = ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        Path gone = dirs(own.resolve("drover-agent-" + id + "-gone"), "slot-1", "agent-999999999-1");
        Path old = dirs(own.resolve("drover-agent-" + id + "-old"), "attempt-17");
        Path held = dirs(own.resolve("drover-agent-" + id + "-held"), "slot-1", "agent-" + self + "-" + start);
        Path busy = dirs(own.resolve("drover-agent-" + id + "-busy"), "slot-1", "agent-999999999-1");
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(busy.resolve("slot-1/cgroup.procs"), Long.toString(sleeper.pid()));

            containment(TaskLimits.NONE);

            assertThat(gone).doesNotExist();
            assertThat(old).as("an earlier release's, whose agent may be running").exists();
            assertThat(held).as("a live agent's").exists();
            assertThat(busy).as("one with a process in it").exists();
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
        awaitEmpty(busy.resolve("slot-1"));
    }

    private CgroupContainment containment(TaskLimits limits) throws IOException {
        CgroupContainment containment = CgroupContainment.create(layout, id, workDir, limits);
        closing.add(containment);
        return containment;
    }

    /** Runs {@code script} in the enclosure as the executor does; its exit code. */
    private static int run(Enclosure enclosure, String script) throws Exception {
        Process p = new ProcessBuilder(enclosure.launch(List.of("/bin/sh", "-c", script)))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int exit = p.waitFor();
        enclosure.ended(p);
        return exit;
    }

    /** This test agent's attempt cgroups in the memory hierarchy. */
    private List<Path> slots() throws IOException {
        try (Stream<Path> parents = Files.list(layout.memoryV1().get())) {
            Path parent = parents.filter(p -> p.getFileName().toString().startsWith("drover-agent-" + id + "-")
                    && Files.isDirectory(p)).findFirst().orElseThrow();
            try (Stream<Path> children = Files.list(parent)) {
                return children.filter(p -> p.getFileName().toString().startsWith("slot-")).sorted().toList();
            }
        }
    }

    private Path dirs(Path parent, String... children) throws IOException {
        made.add(Files.createDirectory(parent));
        for (String child : children) {
            made.add(Files.createDirectory(parent.resolve(child)));
        }
        return parent;
    }

    private static void awaitEmpty(Path cgroup) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> read(cgroup.resolve("cgroup.procs")).isEmpty());
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file).trim();
    }
}
