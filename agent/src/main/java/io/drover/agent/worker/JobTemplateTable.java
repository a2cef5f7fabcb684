package io.drover.agent.worker;

import io.drover.agent.task.AttemptFileNames;
import io.drover.protocol.worker.ResultBlobSpill;
import io.drover.protocol.worker.RunTask;
import io.drover.protocol.worker.workerConstants;

/**
 * Protocol 3, the worker's side of job templates ({@code workers/JobTemplates} on the agent): the
 * templates by slot, and each task completed from its template when its frame is read, so a slot
 * the agent fills again later never changes a task already queued.
 */
public final class JobTemplateTable {
    private final RunTask[] slots = new RunTask[workerConstants.WORKER_JOB_TEMPLATES];

    /** Stores a template in its slot (replacing the one there). */
    public void store(RunTask template) throws MalformedFrameException {
        if (!template.isSetJobRef() || template.getJobRef() < 0 || template.getJobRef() >= slots.length || !template.isSetJobId()) {
            throw new MalformedFrameException("a job template without a job id or with slot " + template.getJobRef()
                    + " (0 to " + slots.length + ")");
        }
        slots[template.getJobRef()] = template;
    }

    /** Fills what {@code task} leaves to its template; a task naming none is whole already. */
    public RunTask resolve(RunTask task) throws MalformedFrameException {
        if (!task.isSetJobRef()) {
            return task;
        }
        int ref = task.getJobRef();
        RunTask t = ref >= 0 && ref < slots.length ? slots[ref] : null;
        if (t == null) {
            throw new MalformedFrameException("attempt " + task.getAttemptId() + " names job template " + ref + ", never sent");
        }
        if (!task.isSetJobId()) {
            task.setJobId(t.getJobId());
        }
        if (!task.isSetJobArguments()) {
            task.setJobArguments(t.getJobArguments());
        }
        if (!task.isSetArtifactSha256()) {
            task.setArtifactSha256(t.getArtifactSha256());
        }
        if (!task.isSetArtifactPath()) {
            task.setArtifactPath(t.getArtifactPath());
        }
        if (!task.isSetEntryClass()) {
            task.setEntryClass(t.getEntryClass());
        }
        if (t.isSetTaskDirs() && !task.isSetStdoutPath() && !task.isSetStderrPath() && !task.isSetResultSpill()) {
            String base = AttemptFileNames.base(t.getTaskDirs(), task.getTask(), task.getAttemptId());
            task.setStdoutPath(base + AttemptFileNames.STDOUT);
            task.setStderrPath(base + AttemptFileNames.STDERR);
            if (t.isSetResultSpill()) {
                task.setResultSpill(new ResultBlobSpill(base + AttemptFileNames.RESULT, t.getResultSpill().getMaxBytes()));
            }
        }
        return task;
    }

    /** A frame that breaks protocol 3's rules: the link is unusable. */
    public static final class MalformedFrameException extends Exception {
        MalformedFrameException(String message) {
            super(message);
        }
    }
}
