package io.drover.coordinator.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The TASK_PAGE query: a page of a job's tasks, by state, with the count that matched; bad filters are refused. */
class TaskPageTest {
    private final CoreHarness h = new CoreHarness(CoreHarness.config());

    private Response page(String jobId, int offset, int limit, TaskState state) {
        return h.apply(new Event.Query(h.nextRequest++, h.now, Event.QueryKind.TASK_PAGE, jobId, false, false, 0,
                new Event.TaskFilter(offset, limit, state)));
    }

    @Test
    void aPageOfOneStateCountsEveryMatchButHoldsOnlyItsTasks() {
        String job = h.submit(CoreHarness.job("k", 10, false, 3));
        h.register("a1", 4);
        List<Response.Assignment> running = h.heartbeat("a1", List.of()).assignments();
        assertThat(running).hasSize(4);
        h.heartbeat("a1", List.of(CoreHarness.ok(running.get(0), new byte[0]), CoreHarness.ok(running.get(1), new byte[0])));

        Response.TaskPage all = (Response.TaskPage) page(job, 0, 1_000, null);
        assertThat(all.matched()).isEqualTo(10);
        assertThat(all.tasks()).extracting(Response.TaskSnapshot::task).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

        Response.TaskPage done = (Response.TaskPage) page(job, 1, 5, TaskState.SUCCEEDED);
        assertThat(done.matched()).isEqualTo(2);
        assertThat(done.offset()).isEqualTo(1);
        assertThat(done.tasks()).singleElement().satisfies(t -> {
            assertThat(t.state()).isEqualTo(TaskState.SUCCEEDED);
            assertThat(t.agentId()).isEqualTo("a1");
        });

        Response.TaskPage pending = (Response.TaskPage) page(job, 0, 3, TaskState.PENDING);
        assertThat(pending.matched()).isEqualTo((int) all.tasks().stream().filter(t -> t.state() == TaskState.PENDING).count())
                .isPositive();
        assertThat(pending.tasks()).hasSizeLessThanOrEqualTo(3).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.PENDING));

        assertThat(((Response.TaskPage) page(job, 50, 10, null)).tasks()).as("past the end: empty").isEmpty();
    }

    @Test
    void unknownJobsAndOutOfRangeFiltersAreRefused() {
        String job = h.submit(CoreHarness.job("k", 3, false, 1));
        assertThat(page("no-such-job", 0, 10, null)).isInstanceOf(Response.Rejected.class);
        assertThat(page(job, -1, 10, null)).isInstanceOf(Response.Rejected.class);
        assertThat(page(job, 0, 0, null)).isInstanceOf(Response.Rejected.class);
        assertThat(page(job, 0, Event.TaskFilter.MAX_LIMIT + 1, null)).isInstanceOf(Response.Rejected.class);
        assertThat(h.apply(new Event.Query(h.nextRequest++, h.now, Event.QueryKind.TASK_PAGE, job, false, false, 0)))
                .as("no filter").isInstanceOf(Response.Rejected.class);
    }
}
