package io.drover.agent.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.agent.task.AttemptFileNames;
import io.drover.agent.worker.JobTemplateTable;
import io.drover.agent.worker.WorkerMain;
import io.drover.protocol.worker.ResultBlobSpill;
import io.drover.protocol.worker.RunTask;
import io.drover.protocol.worker.TaskBatch;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TIOStreamTransport;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.Test;

/**
 * Protocol 3's job templates across a real pipe: what the worker rebuilds from the frames is each
 * task as the agent made it, also when more jobs than template slots take turns (slots reused while
 * tasks naming the old template are still in frames being merged); protocol 2 gets whole tasks.
 */
class TaskPipeTemplatesTest {
    private static final int JOBS = JobTemplates.SLOTS + 6;
    private static final int TASKS = 3 * JOBS;

    @Test
    void theWorkerRebuildsEveryTaskAsSentWhileTemplateSlotsAreReused() throws Exception {
        List<TaskBatch> frames = new ArrayList<>();
        List<RunTask> got = sendAndRead(3, frames);

        assertThat(got).hasSize(TASKS);
        for (int i = 0; i < TASKS; i++) {
            RunTask sent = task(i);
            assertThat(got.get(i).setJobRef(0).setTaskDirs("d")).as("task %d", i).isEqualTo(sent.setJobRef(0).setTaskDirs("d"));
        }
        long whole = frames.stream().flatMap(f -> f.getTasks().stream()).filter(t -> t.isSetJobId() || t.isSetStdoutPath()).count();
        assertThat(whole).as("tasks that carried their job's fields or paths").isZero();
        assertThat(frames.stream().filter(TaskBatch::isSetJobs).mapToInt(f -> f.getJobs().size()).sum())
                .as("templates sent: one per job turn, as slots are reused round-robin").isGreaterThanOrEqualTo(JOBS);
    }

    @Test
    void aProtocol2WorkerGetsWholeTasks() throws Exception {
        List<TaskBatch> frames = new ArrayList<>();
        List<RunTask> got = sendAndRead(2, frames);

        assertThat(got).hasSize(TASKS);
        for (int i = 0; i < TASKS; i++) {
            assertThat(got.get(i)).isEqualTo(task(i));
        }
        assertThat(frames).noneMatch(TaskBatch::isSetJobs);
    }

    @Test
    void aTaskNamingATemplateNeverSentIsAMalformedFrame() {
        JobTemplateTable table = new JobTemplateTable();

        assertThatThrownBy(() -> table.resolve(new RunTask().setAttemptId(7).setJobRef(3)))
                .isInstanceOf(JobTemplateTable.MalformedFrameException.class).hasMessageContaining("template 3");
        assertThatThrownBy(() -> table.store(new RunTask().setJobId("j").setJobRef(JobTemplates.SLOTS)))
                .isInstanceOf(JobTemplateTable.MalformedFrameException.class);
    }

    /** Task i of job i % JOBS, as WorkerTaskExecutor makes it (files in the standard layout under its job's directory). */
    private static RunTask task(int i) {
        int job = i % JOBS;
        String jobDir = "/work/tasks/job-" + job;
        String base = AttemptFileNames.base(jobDir, i, 1000 + i);
        return new RunTask().setJobId("job-" + job).setAttemptId(1000 + i).setTask(i).setShardCount(TASKS)
                .setJobArguments(List.of("arg", Integer.toString(job))).setReduceTask(false)
                .setArtifactSha256("sha-" + job % 2).setArtifactPath("/work/artifacts/sha-" + job % 2 + ".jar")
                .setEntryClass("example.Job" + job).setTaskDirs(jobDir)
                .setStdoutPath(base + AttemptFileNames.STDOUT).setStderrPath(base + AttemptFileNames.STDERR)
                .setMaxOutputBytes(1 << 20).setMaxResultBytes(65536)
                .setResultSpill(new ResultBlobSpill(base + AttemptFileNames.RESULT, 1L << 28));
    }

    @Test
    void aTaskOfACachedJobIsNotOvertakenByANewTemplateForItsSlotInTheSameWrite() throws Exception {
        // Job 0's template is sent with its first task; its second task names it only. Then more new jobs than
        // slots: one of them takes job 0's slot, likely in the same merged write as job 0's second task.
        List<Integer> order = new ArrayList<>(List.of(0, JOBS));
        for (int job = 1; job <= JobTemplates.SLOTS; job++) {
            order.add(job);
        }
        List<RunTask> got = sendAndRead(3, new ArrayList<>(), order);

        assertThat(got).hasSize(order.size());
        for (int k = 0; k < order.size(); k++) {
            RunTask sent = task(order.get(k));
            assertThat(got.get(k).setJobRef(0).setTaskDirs("d")).as("task %d", order.get(k))
                    .isEqualTo(sent.setJobRef(0).setTaskDirs("d"));
        }
    }

    private static List<RunTask> sendAndRead(int protocol, List<TaskBatch> frames) throws Exception {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            order.add(i);
        }
        return sendAndRead(protocol, frames, order);
    }

    private static List<RunTask> sendAndRead(int protocol, List<TaskBatch> frames, List<Integer> order) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket worker = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket agentEnd = server.accept()) {
            TaskPipe pipe = new TaskPipe(agentEnd, "test-link", protocol, () -> { });
            try {
                for (int i : order) {
                    pipe.submit(task(i), () -> { });
                }
                TProtocol in = new TCompactProtocol(new TFramedTransport(new TIOStreamTransport(worker.getInputStream()),
                        WorkerMain.MAX_FRAME_BYTES));
                JobTemplateTable table = new JobTemplateTable();
                List<RunTask> got = new ArrayList<>();
                while (got.size() < order.size()) {
                    TaskBatch batch = new TaskBatch();
                    batch.read(in);
                    frames.add(batch.deepCopy());
                    if (batch.isSetJobs()) {
                        for (RunTask t : batch.getJobs()) {
                            table.store(t);
                        }
                    }
                    for (RunTask t : batch.getTasks()) {
                        got.add(table.resolve(t));
                    }
                }
                return got;
            } finally {
                pipe.close();
            }
        }
    }
}
