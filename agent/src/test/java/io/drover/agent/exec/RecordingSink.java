package io.drover.agent.exec;

import io.drover.agent.task.TaskReport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A result sink that keeps every report, for supervisor tests. */
final class RecordingSink implements ResultSink {
    final List<TaskReport> reported = new CopyOnWriteArrayList<>();

    @Override
    public void finished(TaskReport report) {
        reported.add(report);
    }

    @Override
    public boolean holds(long attemptId) {
        return reported.stream().anyMatch(r -> r.attemptId() == attemptId);
    }
}
