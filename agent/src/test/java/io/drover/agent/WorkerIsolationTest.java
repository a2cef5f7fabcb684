package io.drover.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.testing.AgentHarness;
import io.drover.agent.testing.TestJars;
import io.drover.agent.testing.WorkerProcesses;
import io.drover.agent.testjobs.BlockingJob;
import io.drover.agent.testjobs.CrashJob;
import io.drover.agent.testjobs.ExitJob;
import io.drover.agent.testjobs.ForkJob;
import io.drover.agent.testjobs.OomJob;
import io.drover.agent.testjobs.PidJob;
import io.drover.agent.testjobs.SpinJob;
import io.drover.agent.worker.WorkerMain;
import io.drover.agent.workers.WorkerSettings;
import io.drover.protocol.thrift.JvmIsolation;
import io.drover.protocol.thrift.Outcome;
import io.drover.protocol.thrift.TaskResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JVM tasks in real child worker JVMs: reuse, recycling, heap bounds, and every way a job can
 * misbehave (exit, halt, out of memory, spinning past its timeout, crashing the JVM, being
 * cancelled with a child process running). Each time the agent keeps serving, the attempt gets the
 * right outcome and no worker or child process is left in the process table.
 */
class WorkerIsolationTest {
    private static final String AGENT = AgentHarness.AGENT_ID;

    @TempDir
    Path workDir;
    private AgentHarness h;
    private String jar;

    private void start(int slots, WorkerSettings workers) throws InterruptedException {
        h = AgentHarness.start(AGENT, workDir, slots, workers);
        jar = h.coordinator.putArtifact(TestJars.ofPackage(PidJob.class));
        h.coordinator.addJvmJob("pid", jar, PidJob.class.getName(), 100, 0, List.of());
    }

    private void start() throws InterruptedException {
        start(2, WorkerSettings.defaults());
    }

    @AfterEach
    void stopAndCheckNoWorkerIsLeft() {
        if (h != null) {
            h.close();
        }
        await().atMost(AgentHarness.WAIT).until(() -> WorkerProcesses.of(AGENT).isEmpty());
    }

    @Test
    void oneWarmWorkerServesConsecutiveTasksOfAJobWithTheirOutputInTheAttemptFiles() throws Exception {
        start();

        long[] first = pidOf(0);
        long[] second = pidOf(1);
        long[] third = pidOf(2);

        assertThat(first[0]).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(second[0]).isEqualTo(first[0]);
        assertThat(third[0]).isEqualTo(first[0]);
        assertThat(first[1]).as("heap MB: the agent default").isBetween(400L, 512L);
        assertThat(WorkerProcesses.pids(AGENT)).containsExactly(first[0]);
        Path shard1 = workDir.resolve("tasks/pid/1");
        try (var files = Files.list(shard1)) {
            List<Path> out = files.sorted().toList();
            assertThat(out).hasSize(2);
            assertThat(Files.readString(out.get(1))).isEqualTo("hello from shard 1 on stdout\n");
            assertThat(Files.readString(out.get(0))).isEqualTo("hello from shard 1 on stderr\n");
        }
    }

    @Test
    void silentLocalConnectionsToTheWorkerPortDoNotDelayAWorkersStartAndAreClosedAfterTheHelloDeadline() throws Exception {
        start();
        long warm = pidOf(0)[0]; // the first start opens the listener; its port is in the worker's environment
        int port = Integer.parseInt(environment(warm).get(WorkerMain.PORT_ENV));
        List<Socket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                silent.add(new Socket(InetAddress.getLoopbackAddress(), port));
            }
            h.coordinator.addJvmJob("pid96", jar, PidJob.class.getName(), 1, 0, List.of());
            h.coordinator.setMemoryMb("pid96", 96); // another heap, another pool: a new worker JVM must connect

            long[] fresh = h.awaitResultValue(h.coordinator.assign(AGENT, "pid96", 0, null));

            assertThat(fresh[0]).as("a second worker JVM").isNotEqualTo(warm).isNotEqualTo(ProcessHandle.current().pid());
            for (Socket s : silent) {
                s.setSoTimeout(10_000);
                assertThat(s.getInputStream().read()).as("the agent closed a connection that sent no hello").isEqualTo(-1);
            }
        } finally {
            for (Socket s : silent) {
                s.close();
            }
        }
    }

    private static Map<String, String> environment(long pid) throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String entry : Files.readString(Path.of("/proc", Long.toString(pid), "environ")).split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return env;
    }

    @Test
    void workerIsRecycledAfterItsMaxTasksAndHeapFollowsTheJobsMemory() throws Exception {
        start(2, WorkerSettings.defaults().withMaxTasksPerWorker(2));
        h.coordinator.setMemoryMb("pid", 96);

        long[] first = pidOf(0);
        long[] second = pidOf(1);
        long[] third = pidOf(2);

        assertThat(second[0]).isEqualTo(first[0]);
        assertThat(third[0]).isNotEqualTo(first[0]);
        assertThat(first[1]).isBetween(64L, 96L);
        await().atMost(AgentHarness.WAIT).until(() -> !WorkerProcesses.alive(first[0]));
    }

    @Test
    void systemExitFailsTheAttemptNamingStatusAndCallerAndTheWorkerIsReplaced() throws Exception {
        start();
        long before = pidOf(0)[0];
        h.coordinator.addJvmJob("exit", jar, ExitJob.class.getName(), 1, 0, List.of("exit", "3"));

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "exit", 0, null));

        assertThat(r.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.getError()).contains("exited with status 3", "System.exit(3)",
                "System.exit was called by thread", ExitJob.class.getName() + ".runShard");
        assertThat(Files.readString(workDir.resolve("tasks/exit/0/attempt-" + r.getAttemptId() + ".stdout")))
                .contains("about to exit with 3");
        assertThat(WorkerProcesses.alive(before)).isFalse();
        assertThat(pidOf(1)[0]).as("a new worker serves the next task").isNotEqualTo(before);
    }

    @Test
    void haltFailsTheAttemptNamingTheStatus() throws Exception {
        start();
        h.coordinator.addJvmJob("halt", jar, ExitJob.class.getName(), 1, 0, List.of("halt", "7"));

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "halt", 0, null));

        assertThat(r.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.getError()).contains("exited with status 7", "Runtime.halt(7)");
        assertThat(pidOf(0)[0]).isPositive();
    }

    @Test
    void outOfMemoryFailsTheAttemptAndRetiresTheWorker() throws Exception {
        start();
        h.coordinator.addJvmJob("oom", jar, OomJob.class.getName(), 1, 0, List.of());
        h.coordinator.setMemoryMb("oom", 64);
        h.coordinator.addJvmJob("pid64", jar, PidJob.class.getName(), 1, 0, List.of());
        h.coordinator.setMemoryMb("pid64", 64);
        long before = h.awaitResultValue(h.coordinator.assign(AGENT, "pid64", 0, null))[0];

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "oom", 0, null));

        assertThat(r.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.getError()).startsWith("java.lang.OutOfMemoryError").contains("heap limit about", "replaced");
        await().atMost(AgentHarness.WAIT).until(() -> !WorkerProcesses.alive(before));
        long after = h.awaitResultValue(h.coordinator.assign(AGENT, "pid64", 0, null))[0];
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void taskSpinningPastItsTimeoutTimesOutAndItsWorkerIsKilled() throws Exception {
        start();
        h.coordinator.addJvmJob("spin", jar, SpinJob.class.getName(), 1, 500, List.of());

        long attempt = h.coordinator.assign(AGENT, "spin", 0, null);
        await().atMost(AgentHarness.WAIT).until(() -> WorkerProcesses.of(AGENT).size() == 1);
        long spinner = WorkerProcesses.pids(AGENT).get(0);
        TaskResult r = h.awaitResult(attempt);

        assertThat(r.getOutcome()).isEqualTo(Outcome.TIMED_OUT);
        assertThat(r.getError()).contains("500 ms");
        await().atMost(AgentHarness.WAIT).until(() -> !WorkerProcesses.alive(spinner));
        assertThat(pidOf(0)[0]).isNotEqualTo(spinner);
        assertThat(h.agent.taskCounts().timedOut()).isEqualTo(1);
    }

    @Test
    void jvmCrashFailsTheAttemptAndKeepsTheCrashReportNextToItsOutput() throws Exception {
        start();
        h.coordinator.addJvmJob("crash", jar, CrashJob.class.getName(), 1, 0, List.of());

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "crash", 0, null));

        assertThat(r.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.getError()).contains("crashed", "crash report", "SIGSEGV");
        Path report = workDir.resolve("tasks/crash/0/attempt-" + r.getAttemptId() + ".hs_err.log");
        assertThat(r.getError()).contains(report.toString());
        assertThat(Files.readString(report)).contains("SIGSEGV");
        assertThat(Files.readString(workDir.resolve("tasks/crash/0/attempt-" + r.getAttemptId() + ".stderr")))
                .contains("A fatal error has been detected by the Java Runtime Environment");
        assertThat(pidOf(0)[0]).isPositive();
    }

    @Test
    void cancelKillsTheWorkerAndTheProcessesItStarted() throws Exception {
        start();
        h.coordinator.addJvmJob("fork", jar, ForkJob.class.getName(), 1, 0, List.of());
        long attempt = h.coordinator.assign(AGENT, "fork", 0, null);
        Path stdout = workDir.resolve("tasks/fork/0/attempt-" + attempt + ".stdout");
        long child = await().atMost(AgentHarness.WAIT).until(() -> childPid(stdout), pid -> pid > 0);
        long worker = WorkerProcesses.pids(AGENT).get(0);
        assertThat(WorkerProcesses.alive(child)).isTrue();

        h.coordinator.cancel(AGENT, attempt);

        assertThat(h.awaitResult(attempt).getOutcome()).isEqualTo(Outcome.CANCELLED);
        await().atMost(AgentHarness.WAIT).until(() -> !WorkerProcesses.alive(worker) && !WorkerProcesses.alive(child));
        assertThat(pidOf(0)[0]).isNotEqualTo(worker);
    }

    @Test
    void workersNeverOutnumberTheSlots() throws Exception {
        start(2, WorkerSettings.defaults());
        h.coordinator.addJvmJob("block", jar, BlockingJob.class.getName(), 3, 0, List.of());
        List<Long> attempts = List.of(0, 1, 2).stream().map(i -> h.coordinator.assign(AGENT, "block", i, null)).toList();

        await().atMost(AgentHarness.WAIT).until(() -> h.agent.taskCounts().started() == 2 && WorkerProcesses.of(AGENT).size() == 2);

        assertThat(h.agent.taskCounts().started()).as("the third waits for a slot").isEqualTo(2);
        assertThat(WorkerProcesses.of(AGENT)).hasSize(2);
        attempts.forEach(a -> h.coordinator.cancel(AGENT, a));
        attempts.forEach(a -> assertThat(h.awaitResult(a).getOutcome()).isEqualTo(Outcome.CANCELLED));
    }

    @Test
    void aWorkerThatCannotStartFailsTheAttemptWithWhatTheJvmSaid() throws Exception {
        start(2, WorkerSettings.defaults().withJvmOptions(List.of("-XX:+NoSuchDroverOption")));

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "pid", 0, null));

        assertThat(r.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.getError()).contains("could not start a worker JVM", "NoSuchDroverOption");
    }

    @Test
    void inAgentIsolationRunsTheTaskInTheAgentsJvm() throws Exception {
        start();
        h.coordinator.setIsolation("pid", JvmIsolation.IN_AGENT);

        assertThat(pidOf(0)[0]).isEqualTo(ProcessHandle.current().pid());
        assertThat(WorkerProcesses.of(AGENT)).isEmpty();
    }

    @Test
    void aResultCarriesTheNameOfTheJobsCodecFromAWorkerAndFromTheAgentsJvm() throws Exception {
        start();
        h.coordinator.addJvmJob("pid-in-agent", jar, PidJob.class.getName(), 100, 0, List.of());
        h.coordinator.setIsolation("pid-in-agent", JvmIsolation.IN_AGENT);

        TaskResult fromWorker = h.awaitResult(h.coordinator.assign(AGENT, "pid", 0, null));
        TaskResult inAgent = h.awaitResult(h.coordinator.assign(AGENT, "pid-in-agent", 0, null));

        assertThat(fromWorker.getResultCodec()).isEqualTo("int64-array");
        assertThat(inAgent.getResultCodec()).isEqualTo("int64-array");
    }

    private long[] pidOf(int shard) {
        return h.awaitResultValue(h.coordinator.assign(AGENT, "pid", shard, null));
    }

    private static long childPid(Path stdout) throws IOException {
        if (!Files.exists(stdout)) {
            return 0;
        }
        Matcher m = Pattern.compile("child (\\d+)").matcher(Files.readString(stdout));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
