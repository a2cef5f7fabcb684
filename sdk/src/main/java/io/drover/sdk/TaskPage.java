package io.drover.sdk;

import java.util.List;

/**
 * A page of a job's tasks ({@link DroverClient#tasks}): {@code matched} tasks are in the state asked for (all the
 * job's when none was), and {@code tasks} holds those from the {@code offset}-th on, in task order.
 *
 * @param jobId the job
 * @param matched how many of its tasks are in the state asked for
 * @param offset the position of the first task of this page among those
 * @param tasks the page's tasks
 */
public record TaskPage(String jobId, int matched, int offset, List<TaskStatus> tasks) {
    /**
     * Copies the tasks.
     *
     * @param jobId see the record's components
     * @param matched see the record's components
     * @param offset see the record's components
     * @param tasks see the record's components
     */
    public TaskPage {
        tasks = List.copyOf(tasks);
    }
}
