package io.drover.agent.workers;

import io.drover.protocol.worker.ResultBlobSpill;
import io.drover.protocol.worker.RunTask;
import io.drover.protocol.worker.workerConstants;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Protocol 3 of a worker link, the agent's side of job templates: a job's fields (id, arguments,
 * artifact, entry class) go to a worker once, as a template in a numbered slot, and each of its
 * tasks then names the slot instead of carrying them; a task whose files follow the standard layout
 * ({@code RunTask.taskDirs}, {@link io.drover.agent.task.AttemptFileNames}) carries no paths either. Decoding those strings and lists for every
 * task, and the JIT compiling of that decoding in every worker JVM, was most of a no-op task's cost
 * in the worker (README: Benchmark, issue 15).
 *
 * <p>Slots are reused round-robin; a template replaces the one in its slot when the worker reads
 * it, and the worker resolves a task's template when it reads the task, so a slot reused later
 * never changes a task already sent (the worker's side: {@code worker/JobTemplateTable}). Not thread-safe: the pipe calls it under its lock, in the
 * order the frames are sent.
 */
final class JobTemplates {
    static final int SLOTS = workerConstants.WORKER_JOB_TEMPLATES;

    private final RunTask[] sent = new RunTask[SLOTS];
    private final Map<String, Integer> slotOfJob = new HashMap<>();
    private int next;

    /**
     * The task as it goes on the wire: its own fields and the slot of its job's template. A template
     * not sent yet on this link (or changed) is added to {@code newTemplates}.
     */
    RunTask compact(RunTask task, List<RunTask> newTemplates) {
        Integer slot = slotOfJob.get(task.getJobId());
        if (slot == null || !sameJob(sent[slot], task)) {
            slot = slot != null ? slot : take();
            RunTask template = template(task, slot);
            sent[slot] = template;
            slotOfJob.put(task.getJobId(), slot);
            newTemplates.add(template);
        }
        RunTask wire = new RunTask();
        wire.setJobRef(slot);
        wire.setAttemptId(task.getAttemptId());
        wire.setTask(task.getTask());
        wire.setShardCount(task.getShardCount());
        wire.setShardParameter(task.getShardParameter());
        wire.setReduceTask(task.isReduceTask());
        if (task.isReduceTask() || (task.isSetReduceInputs() && !task.getReduceInputs().isEmpty())) {
            wire.setReduceInputs(task.getReduceInputs());
        }
        if (!task.isSetTaskDirs()) { // else the worker names the files from the template's taskDirs
            wire.setStdoutPath(task.getStdoutPath());
            wire.setStderrPath(task.getStderrPath());
            wire.setResultSpill(task.getResultSpill());
        }
        wire.setMaxOutputBytes(task.getMaxOutputBytes());
        wire.setMaxResultBytes(task.getMaxResultBytes());
        wire.setReduceInputFiles(task.getReduceInputFiles());
        wire.setUpstream(task.getUpstream());
        return wire;
    }

    /** The next slot round-robin; the job that had it sends its template again when it next needs it. */
    private int take() {
        int slot = next;
        next = (next + 1) % SLOTS;
        RunTask previous = sent[slot];
        if (previous != null) {
            slotOfJob.remove(previous.getJobId());
        }
        return slot;
    }

    private static RunTask template(RunTask task, int slot) {
        RunTask t = new RunTask();
        t.setJobRef(slot);
        t.setJobId(task.getJobId());
        t.setJobArguments(task.getJobArguments());
        t.setArtifactSha256(task.getArtifactSha256());
        t.setArtifactPath(task.getArtifactPath());
        t.setEntryClass(task.getEntryClass());
        if (task.isSetTaskDirs()) {
            t.setTaskDirs(task.getTaskDirs());
            if (task.isSetResultSpill()) {
                t.setResultSpill(new ResultBlobSpill("", task.getResultSpill().getMaxBytes())); // only its cap is used
            }
        }
        return t;
    }

    private static boolean sameJob(RunTask template, RunTask task) {
        return template != null
                && template.getJobId().equals(task.getJobId())
                && Objects.equals(template.getJobArguments(), task.getJobArguments())
                && Objects.equals(template.getArtifactSha256(), task.getArtifactSha256())
                && Objects.equals(template.getArtifactPath(), task.getArtifactPath())
                && Objects.equals(template.getEntryClass(), task.getEntryClass())
                && Objects.equals(template.getTaskDirs(), task.getTaskDirs())
                && (!task.isSetTaskDirs() || template.isSetResultSpill() == task.isSetResultSpill()
                        && (!task.isSetResultSpill() || template.getResultSpill().getMaxBytes() == task.getResultSpill().getMaxBytes()));
    }
}
