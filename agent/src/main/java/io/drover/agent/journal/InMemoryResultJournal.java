package io.drover.agent.journal;

import io.drover.agent.task.TaskReport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link ResultJournal} that lives as long as the process: results are lost if the agent dies. */
public final class InMemoryResultJournal implements ResultJournal {
    private final Map<Long, TaskReport> pending = new LinkedHashMap<>(); // insertion order = report order

    @Override
    public synchronized void append(TaskReport report) {
        pending.putIfAbsent(report.attemptId(), report);
    }

    @Override
    public synchronized List<TaskReport> pending(int max) {
        List<TaskReport> out = new ArrayList<>(Math.min(max, pending.size()));
        for (TaskReport report : pending.values()) {
            if (out.size() == max) {
                break;
            }
            out.add(report);
        }
        return out;
    }

    @Override
    public synchronized void acknowledge(Collection<Long> attemptIds) {
        attemptIds.forEach(pending::remove);
    }

    @Override
    public synchronized boolean holds(long attemptId) {
        return pending.containsKey(attemptId);
    }

    @Override
    public synchronized int size() {
        return pending.size();
    }
}
