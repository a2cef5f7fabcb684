package io.drover.agent.exec;

import io.drover.agent.task.TaskReport;

/** Where finished attempts go to be reported (and kept until the coordinator acknowledges them). */
public interface ResultSink {
    void finished(TaskReport report);

    /** Whether a result for this attempt is held and not yet acknowledged (a repeated assignment is then ignored). */
    boolean holds(long attemptId);
}
