package io.drover.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.agent.contain.CgroupContainment;
import io.drover.agent.contain.CgroupLayout;
import io.drover.agent.contain.Containment;
import io.drover.agent.contain.Enclosure;
import io.drover.agent.contain.TaskLimits;
import io.drover.agent.contain.TrackedContainment;
import io.drover.agent.launch.NativeLauncher;
import io.drover.agent.logs.TaskOutputs;
import io.drover.agent.platform.ProcessTree;
import io.drover.agent.task.JobDescription;
import io.drover.agent.task.JobDescription.JobKind;
import io.drover.agent.task.JvmIsolation;
import io.drover.agent.task.TaskAssignment;
import io.drover.agent.task.TaskOutcome;
import io.drover.agent.task.TaskReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every containment mechanism this host offers (cgroup v1 stopped by freezing, cgroup v1 with the
 * v2 tree's cgroup.kill, tracking by an environment cookie) stops a task that daemonized with a
 * double fork, on timeout and on cancel; cgroup limits (the agent's, or a process job's memoryMb)
 * kill a task over its memory and stop a fork loop. Real processes, checked against /proc. The cgroup cases need a writable cgroup tree (root):
 * elsewhere they are skipped with the reason.
 */
class ContainmentTest {
    private static final String CGROUP_V1 = "cgroup-v1";
    private static final String CGROUP_V2_KILL = "cgroup-v2-kill";
    private static final String TRACKED = "tracked";
    /** Suffix of a mechanism: tasks start through the native launcher (drover-launch), its reaper stopping them. */
    private static final String NATIVE = "+native";
    private static final Duration GRACE = Duration.ofMillis(200);

    @TempDir
    Path dir;
    /** A sleep duration no other process on the host has: marks this test's processes in /proc. */
    private final String marker = "600." + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
    private final RecordingSink sink = new RecordingSink();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private boolean launcherWanted;

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        withMarker().forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {CGROUP_V1, CGROUP_V2_KILL, TRACKED, CGROUP_V1 + NATIVE, CGROUP_V2_KILL + NATIVE, TRACKED + NATIVE})
    void aDoubleForkedDaemonIsStoppedOnTimeout(String mechanism) {
        TaskSupervisor supervisor = supervisor(containment(mechanism, TaskLimits.NONE), daemonizing(), Duration.ofMillis(1500));

        supervisor.assign(assignment(1));
        awaitDaemon();
        assertNoCookieOnTheNativePath(mechanism);

        TaskReport report = awaitReport();
        assertThat(report.outcome()).isEqualTo(TaskOutcome.TIMED_OUT);
        await().atMost(Duration.ofSeconds(10)).until(() -> withMarker().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {CGROUP_V1, CGROUP_V2_KILL, TRACKED, CGROUP_V1 + NATIVE, CGROUP_V2_KILL + NATIVE, TRACKED + NATIVE})
    void aDoubleForkedDaemonIsStoppedOnCancel(String mechanism) {
        TaskSupervisor supervisor = supervisor(containment(mechanism, TaskLimits.NONE), daemonizing(), null);

        supervisor.assign(assignment(2));
        awaitDaemon();
        assertNoCookieOnTheNativePath(mechanism);
        supervisor.cancel(2);

        assertThat(awaitReport().outcome()).isEqualTo(TaskOutcome.CANCELLED);
        await().atMost(Duration.ofSeconds(10)).until(() -> withMarker().isEmpty());
    }

    /** Not the agent's group: a script's "kill 0" (a common clean-up idiom) must not reach the agent. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {CGROUP_V1, CGROUP_V2_KILL, TRACKED, CGROUP_V1 + NATIVE, CGROUP_V2_KILL + NATIVE, TRACKED + NATIVE})
    void eachAttemptLeadsAProcessGroupOfItsOwn(String mechanism) {
        TaskSupervisor supervisor = supervisor(containment(mechanism, TaskLimits.NONE),
                List.of("/bin/sh", "-c", "echo $$ $(cut -d' ' -f5 /proc/$$/stat)"), null);

        supervisor.assign(assignment(8));

        TaskReport report = awaitReport();
        String[] pidAndGroup = new String(report.execution().value().orElseThrow(), StandardCharsets.UTF_8).trim().split(" ");
        assertThat(pidAndGroup[1]).as("the task's process group").isEqualTo(pidAndGroup[0]);
    }

    /** setsid runs with LC_ALL=C (cheaper); the command sees the job's own LC_ALL, or none, and no trace of that. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {CGROUP_V1, CGROUP_V2_KILL, TRACKED, CGROUP_V1 + NATIVE, CGROUP_V2_KILL + NATIVE, TRACKED + NATIVE})
    void theCommandGetsTheJobsLocaleSettings(String mechanism) {
        List<String> command = List.of("/bin/sh", "-c", "echo \"${LC_ALL-unset}|${DROVER_SAVED_LC_ALL-none}\"");
        String agentsOwn = System.getenv("LC_ALL") == null ? "unset" : System.getenv("LC_ALL");
        assertThat(value(runOnce(containment(mechanism, TaskLimits.NONE), command, Map.of()))).isEqualTo(agentsOwn + "|none");
        assertThat(value(runOnce(containment(mechanism, TaskLimits.NONE), command, Map.of("LC_ALL", "de_DE.UTF-8 x'y"))))
                .isEqualTo("de_DE.UTF-8 x'y|none");
    }

    private TaskReport runOnce(Containment containment, List<String> command, Map<String, String> environment) {
        JobDescription job = new JobDescription("job", JobKind.PROCESS, Optional.empty(), Optional.empty(), command, List.of(), 10,
                Optional.empty(), 0, JvmIsolation.WORKER, environment, Optional.empty());
        ProcessTaskExecutor executor = executor(containment);
        closing.add(executor);
        try {
            return new TaskReport(assignment(9).ref(), executor.execute(assignment(9), job), 0);
        } catch (TaskRejectedException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static String value(TaskReport report) {
        assertThat(report.outcome()).as(report.execution().error().orElse("")).isEqualTo(TaskOutcome.SUCCEEDED);
        return new String(report.execution().value().orElseThrow(), StandardCharsets.UTF_8).trim();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {CGROUP_V1, CGROUP_V2_KILL, CGROUP_V1 + NATIVE, CGROUP_V2_KILL + NATIVE})
    void overTheMemoryLimitTheTaskFailsSayingSo(String mechanism) {
        Containment containment = containment(mechanism, new TaskLimits(32L << 20, 0));
        // tail keeps the last lines; 200 MiB without a newline is one line it must hold whole.
        TaskSupervisor supervisor = supervisor(containment, List.of("/bin/sh", "-c", "head -c 200M /dev/zero | tail"), null);

        supervisor.assign(assignment(3));

        TaskReport report = awaitReport();
        assertThat(report.outcome()).isEqualTo(TaskOutcome.FAILED);
        assertThat(report.execution().error().orElse("")).startsWith("killed: over its memory limit of 32 MiB");
    }

    @Test
    void aProcessJobsMemoryMbIsItsLimit() {
        Containment containment = containment(CGROUP_V2_KILL, new TaskLimits(0, 0));
        TaskSupervisor supervisor = supervisor(containment, List.of("/bin/sh", "-c", "head -c 200M /dev/zero | tail"), null, 24);

        supervisor.assign(assignment(7));

        assertThat(awaitReport().execution().error().orElse("")).startsWith("killed: over its memory limit of 24 MiB");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {CGROUP_V1, CGROUP_V2_KILL, CGROUP_V1 + NATIVE, CGROUP_V2_KILL + NATIVE})
    void thePidsLimitStopsAForkLoop(String mechanism) {
        Containment containment = containment(mechanism, new TaskLimits(0, 8));
        // Bounded: 40 background sleeps at most, each ending by itself; the 8th process on fails to fork.
        String loop = "i=0; while [ $i -lt 40 ]; do sleep " + marker + " & i=$((i+1)); done; wait";
        TaskSupervisor supervisor = supervisor(containment, List.of("/bin/sh", "-c", loop), null);

        supervisor.assign(assignment(4));

        TaskReport report = awaitReport();
        assertThat(report.outcome()).isEqualTo(TaskOutcome.FAILED);
        assertThat(report.execution().error().orElse("")).contains("hit its pids limit of 8");
        await().atMost(Duration.ofSeconds(10)).until(() -> withMarker().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {CGROUP_V1, CGROUP_V2_KILL, CGROUP_V1 + NATIVE, CGROUP_V2_KILL + NATIVE})
    void whatACommandLeavesGoesWithItsCgroup(String mechanism) throws IOException {
        CgroupContainment containment = (CgroupContainment) containment(mechanism, TaskLimits.NONE);
        TaskSupervisor supervisor = supervisor(containment, List.of("/bin/sh", "-c", "sleep " + marker + " & echo done"), null);

        supervisor.assign(assignment(5));

        TaskReport report = awaitReport();
        assertThat(report.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
        assertThat(new String(report.execution().value().orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("done\n");
        assertThat(withMarker()).isEmpty();
        assertThat(attemptCgroups()).as("the attempt's cgroup stays for the next attempt, empty").isNotEmpty()
                .allSatisfy(cgroup -> assertThat(Files.readString(cgroup.resolve("cgroup.procs"))).isEmpty());
        containment.close();
        assertThat(attemptCgroups()).as("attempt cgroups are removed with the containment").isEmpty();
    }

    @Test
    void aRestartedAgentKillsAndRemovesThePreviousRunsAttempts() throws IOException {
        Containment first = containment(CGROUP_V2_KILL, TaskLimits.NONE);
        Enclosure enclosure = first.enclose(6, TaskLimits.NONE); // never closed: the agent "crashed"
        Process p = new ProcessBuilder(enclosure.launch(List.of("/bin/sh", "-c", "setsid sleep " + marker + " & wait")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> withMarker().size() == 1);
        assertThat(attemptCgroups()).isNotEmpty();

        containment(CGROUP_V2_KILL, TaskLimits.NONE); // the next run, same agent and work dir

        await().atMost(Duration.ofSeconds(10)).until(() -> withMarker().isEmpty() && !p.isAlive());
        assertThat(attemptCgroups()).isEmpty();
    }

    /** A shell that starts a daemon (setsid, its parent exits: orphaned, in a session of its own), then waits. */
    private List<String> daemonizing() {
        return List.of("/bin/sh", "-c", "setsid /bin/sh -c 'sleep " + marker + " & exit 0' & sleep " + marker);
    }

    private void awaitDaemon() {
        await().atMost(Duration.ofSeconds(10)).until(() -> withMarker().size() == 2
                && withMarker().stream().anyMatch(pid -> ProcessHandle.of(pid).flatMap(ProcessHandle::parent)
                        .map(parent -> !parent.info().command().orElse("").endsWith("sh")).orElse(true)));
    }

    private Containment containment(String mechanism, TaskLimits limits) {
        launcherWanted = mechanism.endsWith(NATIVE);
        if (launcherWanted) {
            assumeTrue(NativeLauncher.locate().isPresent(), "drover-launch was not built (no C compiler)");
            mechanism = mechanism.substring(0, mechanism.length() - NATIVE.length());
        }
        Containment containment;
        if (mechanism.equals(TRACKED)) {
            containment = TrackedContainment.onHost(ProcessTree.detect());
        } else {
            CgroupLayout layout;
            try {
                layout = CgroupLayout.host();
            } catch (IOException e) {
                assumeTrue(false, "no /proc/self/cgroup: " + e);
                return null;
            }
            if (mechanism.equals(CGROUP_V1)) {
                layout = layout.v1Only();
                assumeTrue(layout.freezerV1().isPresent() && layout.memoryV1().isPresent() && layout.pidsV1().isPresent(),
                        "this host has no cgroup v1 memory, pids and freezer hierarchies");
            } else {
                assumeTrue(layout.v2().isPresent(), "this host has no cgroup v2 tree");
            }
            CgroupContainment cgroups;
            try {
                cgroups = CgroupContainment.create(layout, "containment-test", dir, limits);
            } catch (IOException e) {
                assumeTrue(false, "cannot create cgroups here (run as root for these tests): " + e.getMessage());
                return null;
            }
            if (mechanism.equals(CGROUP_V2_KILL) && !cgroups.cgroupKill()) {
                cgroups.close();
                assumeTrue(false, "this host's cgroup v2 tree has no cgroup.kill (kernel 5.14+)");
            }
            containment = cgroups;
        }
        closing.add(containment);
        return containment;
    }

    private TaskSupervisor supervisor(Containment containment, List<String> command, Duration timeout) {
        return supervisor(containment, command, timeout, 0);
    }

    private TaskSupervisor supervisor(Containment containment, List<String> command, Duration timeout, long memoryMb) {
        JobDescription job = new JobDescription("job", JobKind.PROCESS, Optional.empty(), Optional.empty(), command, List.of(), 10,
                Optional.ofNullable(timeout), memoryMb, JvmIsolation.WORKER);
        ProcessTaskExecutor executor = executor(containment);
        TaskSupervisor supervisor = new TaskSupervisor("ct", 1, jobId -> job, Map.of(JobKind.PROCESS, executor), sink,
                Clock.systemUTC());
        closing.add(executor);
        closing.add(supervisor);
        return supervisor;
    }

    /** Through the native launcher when the last containment asked for was a "+native" one. */
    private ProcessTaskExecutor executor(Containment containment) {
        TaskOutputs outputs = new TaskOutputs(dir.resolve("tasks"), 1 << 20);
        if (!launcherWanted) {
            return new ProcessTaskExecutor(outputs, containment, GRACE, "ct");
        }
        NativeLauncher launcher;
        try {
            launcher = NativeLauncher.start(NativeLauncher.locate().orElseThrow(), "ct");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return new ProcessTaskExecutor(outputs, containment, GRACE, "ct", ResultFiles.inlineOnly(), Optional.of(launcher));
    }

    /** The daemon was not marked for a /proc scan: on the native path its attempt's reaper adopted it. */
    private void assertNoCookieOnTheNativePath(String mechanism) {
        if (!mechanism.endsWith(NATIVE)) {
            return;
        }
        for (long pid : withMarker()) {
            try {
                String environ = Files.readString(Path.of("/proc/" + pid + "/environ"), StandardCharsets.ISO_8859_1);
                assertThat(environ).doesNotContain(TrackedContainment.COOKIE);
            } catch (IOException e) {
                // exited meanwhile
            }
        }
    }

    private static TaskAssignment assignment(long attemptId) {
        return new TaskAssignment(attemptId, "job", (int) attemptId, Optional.empty(), false, List.of());
    }

    private TaskReport awaitReport() {
        await().atMost(Duration.ofSeconds(20)).until(() -> !sink.reported.isEmpty());
        return sink.reported.get(0);
    }

    /** Attempt cgroups (not the agent's mark) of this test's agent, in every hierarchy. */
    private List<Path> attemptCgroups() throws IOException {
        List<Path> found = new ArrayList<>();
        CgroupLayout layout = CgroupLayout.host();
        for (Optional<Path> own : List.of(layout.v2(), layout.memoryV1(), layout.pidsV1(), layout.freezerV1())) {
            if (own.isEmpty()) {
                continue;
            }
            try (Stream<Path> parents = Files.list(own.get())) {
                for (Path parent : parents.filter(p -> p.getFileName().toString().startsWith("drover-agent-containment-test-")).toList()) {
                    try (Stream<Path> attempts = Files.list(parent)) {
                        attempts.filter(p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith("agent-")).forEach(found::add);
                    }
                }
            }
        }
        return found;
    }

    /** Live processes with the marker among their arguments. */
    private List<Long> withMarker() {
        byte[] wanted = marker.getBytes(StandardCharsets.UTF_8);
        List<Long> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    char state = stat.charAt(stat.lastIndexOf(')') + 2);
                    byte[] cmdline = Files.readAllBytes(p.resolve("cmdline"));
                    if (state != 'Z' && contains(cmdline, wanted)) {
                        found.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            });
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc", e);
        }
        return found;
    }

    private static boolean contains(byte[] cmdline, byte[] wanted) {
        int start = 0;
        for (int i = 0; i <= cmdline.length; i++) {
            if (i == cmdline.length || cmdline[i] == 0) {
                if (java.util.Arrays.equals(cmdline, start, i, wanted, 0, wanted.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }
}
