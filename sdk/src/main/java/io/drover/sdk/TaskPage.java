package io.drover.sdk;

import java.util.List;

/**
 * A page of a job's tasks ({@link DroverClient#tasks}): {@code matched} tasks are in the state asked for (all the
 * job's when none was), and {@code tasks} holds those from the {@code offset}-th on, in task order.
 */
public record TaskPage(String jobId, int matched, int offset, List<TaskStatus> tasks) {
    public TaskPage {
        tasks = List.copyOf(tasks);
    }
}
