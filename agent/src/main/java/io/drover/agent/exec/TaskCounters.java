package io.drover.agent.exec;

import io.drover.agent.task.TaskOutcome;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe counters behind {@link TaskCounts}. */
final class TaskCounters {
    private final LongAdder started = new LongAdder();
    private final Map<TaskOutcome, LongAdder> finished = new EnumMap<>(TaskOutcome.class);

    TaskCounters() {
        for (TaskOutcome outcome : TaskOutcome.values()) {
            finished.put(outcome, new LongAdder());
        }
    }

    void started() {
        started.increment();
    }

    void finished(TaskOutcome outcome) {
        finished.get(outcome).increment();
    }

    TaskCounts snapshot() {
        return new TaskCounts(started.sum(), count(TaskOutcome.SUCCEEDED), count(TaskOutcome.FAILED),
                count(TaskOutcome.TIMED_OUT), count(TaskOutcome.CANCELLED), count(TaskOutcome.REJECTED));
    }

    private long count(TaskOutcome outcome) {
        return finished.get(outcome).sum();
    }
}
