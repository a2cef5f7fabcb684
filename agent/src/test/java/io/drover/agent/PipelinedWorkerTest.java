package io.drover.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.testing.AgentHarness;
import io.drover.agent.testing.TestJars;
import io.drover.agent.testing.WorkerProcesses;
import io.drover.agent.testjobs.ExitJob;
import io.drover.agent.testjobs.GateJob;
import io.drover.agent.testjobs.PidJob;
import io.drover.agent.testjobs.SizedResultJob;
import io.drover.agent.workers.WorkerSettings;
import io.drover.protocol.thrift.Outcome;
import io.drover.protocol.thrift.TaskResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several tasks in flight per worker JVM (one slot, queue-ahead, so tasks queue in the one worker):
 * each runs exactly once; a task that ends its worker (exit, halt, out of memory), is cancelled or
 * times out fails only itself, and the tasks queued behind it run in another worker.
 */
class PipelinedWorkerTest {
    private static final String AGENT = AgentHarness.AGENT_ID;
    private static final int QUEUED = 5;

    @TempDir
    Path workDir;
    @TempDir
    Path gates;
    private AgentHarness h;
    private String jar;

    private void start(WorkerSettings workers) throws InterruptedException {
        h = AgentHarness.start(AGENT, workDir, 1, 8, workers);
        jar = h.coordinator.putArtifact(TestJars.ofPackage(PidJob.class));
        h.coordinator.addJvmJob("pid", jar, PidJob.class.getName(), 100, 0, List.of());
    }

    private void start() throws InterruptedException {
        start(WorkerSettings.defaults().withDefaultHeapMb(64));
    }

    @AfterEach
    void stopAndCheckNoWorkerIsLeft() {
        if (h != null) {
            h.close();
        }
        await().atMost(AgentHarness.WAIT).until(() -> WorkerProcesses.of(AGENT).isEmpty());
    }

    @Test
    void manyTasksThroughOneWorkerEachRunExactlyOnce() throws Exception {
        start();
        List<Long> attempts = IntStream.range(0, 40).mapToObj(i -> h.coordinator.assign(AGENT, "pid", i, null)).toList();

        List<Long> pids = new ArrayList<>();
        for (long a : attempts) {
            pids.add(h.awaitResultValue(a)[0]);
        }

        assertThat(pids).as("one slot: one worker").containsOnly(pids.get(0));
        assertRanOnce("pid", attempts);
    }

    @Test
    void tasksQueueInTheBusyWorkerAndRunThereInTurn() throws Exception {
        start();
        Gated g = gatedWithQueue("pass", 0);

        open(g);

        long worker = h.awaitResultValue(g.head)[0];
        for (long a : g.queued) {
            assertThat(h.awaitResultValue(a)[0]).as("queued in the same worker").isEqualTo(worker);
        }
        assertRanOnce("pid", g.queued);
    }

    @Test
    void systemExitWithTasksQueuedBehindFailsOnlyItselfAndTheQueuedRunInAnotherWorker() throws Exception {
        endsItsWorker("exit", "exited with status 3");
    }

    @Test
    void haltWithTasksQueuedBehindFailsOnlyItself() throws Exception {
        endsItsWorker("halt", "exited with status 7");
    }

    @Test
    void outOfMemoryWithTasksQueuedBehindFailsOnlyItself() throws Exception {
        endsItsWorker("oom", "java.lang.OutOfMemoryError");
    }

    private void endsItsWorker(String action, String error) throws Exception {
        start();
        Gated g = gatedWithQueue(action, 0);
        long worker = WorkerProcesses.pids(AGENT).get(0);

        open(g);

        TaskResult head = h.awaitResult(g.head);
        assertThat(head.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(head.getError()).contains(error);
        for (long a : g.queued) {
            assertThat(h.awaitResultValue(a)[0]).as("run in a new worker").isNotEqualTo(worker);
        }
        assertRanOnce("pid", g.queued);
        assertThat(h.coordinator.timesReported(g.head)).isEqualTo(1);
        await().atMost(AgentHarness.WAIT).until(() -> !WorkerProcesses.alive(worker));
    }

    @Test
    void cancellingTheRunningTaskKillsItsWorkerAndTheQueuedRunInAnother() throws Exception {
        start();
        Gated g = gatedWithQueue("pass", 0);
        long worker = WorkerProcesses.pids(AGENT).get(0);

        h.coordinator.cancel(AGENT, g.head);

        assertThat(h.awaitResult(g.head).getOutcome()).isEqualTo(Outcome.CANCELLED);
        for (long a : g.queued) {
            assertThat(h.awaitResultValue(a)[0]).isNotEqualTo(worker);
        }
        assertRanOnce("pid", g.queued);
        await().atMost(AgentHarness.WAIT).until(() -> !WorkerProcesses.alive(worker));
    }

    @Test
    void cancellingAQueuedTaskDropsItWithoutDisturbingTheWorker() throws Exception {
        start();
        Gated g = gatedWithQueue("pass", 0);
        long worker = WorkerProcesses.pids(AGENT).get(0);
        long cancelled = g.queued.get(2);

        h.coordinator.cancel(AGENT, cancelled);
        assertThat(h.awaitResult(cancelled).getOutcome()).isEqualTo(Outcome.CANCELLED);
        await().atMost(AgentHarness.WAIT).until(() -> h.agent.workerTasksQueued() == QUEUED - 1);
        open(g);

        assertThat(h.awaitResultValue(g.head)[0]).isEqualTo(worker);
        for (int i = 0; i < QUEUED; i++) {
            if (i != 2) {
                assertThat(h.awaitResultValue(g.queued.get(i))[0]).as("the same worker, never killed").isEqualTo(worker);
                assertRanOnce("pid", i, g.queued.get(i));
            }
        }
        assertThat(stdout("pid", 2, cancelled)).as("the cancelled task never ran").doesNotExist();
        assertThat(h.coordinator.timesReported(cancelled)).isEqualTo(1);
    }

    @Test
    void aTimeoutOfTheRunningTaskKillsItsWorkerAndTheQueuedRunInAnother() throws Exception {
        start();
        Gated g = gatedWithQueue("pass", 3000); // never opened: it times out
        long worker = WorkerProcesses.pids(AGENT).get(0);

        TaskResult head = h.awaitResult(g.head);

        assertThat(head.getOutcome()).isEqualTo(Outcome.TIMED_OUT);
        for (long a : g.queued) {
            assertThat(h.awaitResultValue(a)[0]).isNotEqualTo(worker);
        }
        assertRanOnce("pid", g.queued);
        await().atMost(AgentHarness.WAIT).until(() -> !WorkerProcesses.alive(worker));
    }

    @Test
    void aWorkerOfTheOneCallProtocolStillServesTasksAndEndsAsBefore() throws Exception {
        start(WorkerSettings.defaults().withDefaultHeapMb(64).withJvmOptions(List.of("-Ddrover.worker.protocol=1")));
        h.coordinator.addJvmJob("exit", jar, ExitJob.class.getName(), 1, 0, List.of("exit", "3"));
        List<Long> attempts = IntStream.range(0, 10).mapToObj(i -> h.coordinator.assign(AGENT, "pid", i, null)).toList();
        for (long a : attempts) {
            h.awaitResultValue(a);
        }
        assertThat(h.agent.workerTasksQueued()).isZero();

        TaskResult exit = h.awaitResult(h.coordinator.assign(AGENT, "exit", 0, null));

        assertThat(exit.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(exit.getError()).contains("exited with status 3");
        assertThat(h.awaitResultValue(h.coordinator.assign(AGENT, "pid", 10, null))[0]).isPositive();
        assertRanOnce("pid", attempts);
    }

    @Test
    void tasksOfSeveralJobsInterleavedInOneWorkerEachRunWithTheirOwnJobsFields() throws Exception {
        start();
        // Protocol 3: each job's fields go to the worker once, as a template; the tasks only name it.
        h.coordinator.addJvmJob("three", jar, SizedResultJob.class.getName(), 100, 0, List.of("3"));
        h.coordinator.addJvmJob("five", jar, SizedResultJob.class.getName(), 100, 0, List.of("5"));
        List<Long> attempts = IntStream.range(0, 30)
                .mapToObj(i -> h.coordinator.assign(AGENT, i % 3 == 2 ? "pid" : i % 3 == 0 ? "three" : "five", i, null)).toList();

        for (int i = 0; i < attempts.size(); i++) {
            TaskResult r = h.awaitResult(attempts.get(i));
            assertThat(r.getOutcome()).as("attempt %d: %s", attempts.get(i), r.getError()).isEqualTo(Outcome.SUCCEEDED);
            if (i % 3 != 2) {
                assertThat(r.getValue()).as("task %d of job %s", i, i % 3 == 0 ? "three" : "five")
                        .isEqualTo(SizedResultJob.bytes(i, i % 3 == 0 ? 3 : 5));
            }
        }
        for (int i = 2; i < attempts.size(); i += 3) {
            assertRanOnce("pid", i, attempts.get(i)); // its output in its own files, named by the worker
        }
        assertThat(WorkerProcesses.of(AGENT)).as("one slot: one worker").hasSize(1);
    }

    @Test
    void aWorkerOfProtocol2GetsWholeTasksAndStillServesThem() throws Exception {
        start(WorkerSettings.defaults().withDefaultHeapMb(64).withJvmOptions(List.of("-Ddrover.worker.protocol=2")));
        h.coordinator.addJvmJob("three", jar, SizedResultJob.class.getName(), 100, 0, List.of("3"));
        List<Long> pid = new ArrayList<>();
        List<Long> three = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pid.add(h.coordinator.assign(AGENT, "pid", i, null));
            three.add(h.coordinator.assign(AGENT, "three", i, null));
        }

        for (int i = 0; i < 10; i++) {
            assertThat(h.awaitResultValue(pid.get(i))[0]).isPositive();
            assertThat(h.awaitResult(three.get(i)).getValue()).isEqualTo(SizedResultJob.bytes(i, 3));
        }
        assertRanOnce("pid", pid);
    }

    /** A GateJob task running in the one worker, and {@value #QUEUED} PidJob tasks queued in that worker behind it. */
    private Gated gatedWithQueue(String action, long timeoutMs) {
        Path gate = gates.resolve("gate-" + action);
        h.coordinator.addJvmJob("gate", jar, GateJob.class.getName(), 1, timeoutMs, List.of(gate.toString(), action));
        long head = h.coordinator.assign(AGENT, "gate", 0, null);
        await().atMost(AgentHarness.WAIT).until(() -> Files.exists(stdout("gate", 0, head)));
        List<Long> queued = IntStream.range(0, QUEUED).mapToObj(i -> h.coordinator.assign(AGENT, "pid", i, null)).toList();
        await().atMost(AgentHarness.WAIT).until(() -> h.agent.workerTasksQueued() == QUEUED);
        assertThat(WorkerProcesses.of(AGENT)).hasSize(1);
        return new Gated(gate, head, queued);
    }

    private record Gated(Path gate, long head, List<Long> queued) {
    }

    private static void open(Gated g) throws IOException {
        Files.createFile(g.gate);
    }

    private Path stdout(String job, int task, long attempt) {
        return workDir.resolve("tasks/" + job + "/" + task + "/attempt-" + attempt + ".stdout");
    }

    /** Each attempt reported once, and its job code ran once (one hello in its output). */
    private void assertRanOnce(String job, List<Long> attempts) throws IOException {
        for (int i = 0; i < attempts.size(); i++) {
            assertRanOnce(job, i, attempts.get(i)); // task i's attempt
        }
    }

    private void assertRanOnce(String job, int task, long attempt) throws IOException {
        assertThat(h.coordinator.timesReported(attempt)).as("attempt %d reported", attempt).isEqualTo(1);
        String out = Files.readString(stdout(job, task, attempt));
        assertThat(out.split("hello from shard", -1)).as("attempt %d ran once: %s", attempt, out).hasSize(2);
    }
}
