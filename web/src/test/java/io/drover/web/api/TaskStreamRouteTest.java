package io.drover.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.web.api.dto.TaskStreamJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** maxLanes: more slots than that become one lane per agent, counts summed; fewer are left as they are. */
class TaskStreamRouteTest {
    private static TaskStreamJson stream(List<TaskStreamJson.Lane> lanes) {
        return new TaskStreamJson("j1-1", true, 1_000, 10, 3, 9, false, 2_000, lanes.size(), false, lanes, null);
    }

    @Test
    void moreSlotsThanMaxLanesAreSummedPerAgent() {
        TaskStreamJson s = stream(List.of(
                new TaskStreamJson.Lane("a1", 0, Map.of("SUCCEEDED", List.of(1, 0, 2))),
                new TaskStreamJson.Lane("a1", 1, Map.of("SUCCEEDED", List.of(0, 1, 1), "FAILED", List.of(0, 0, 1))),
                new TaskStreamJson.Lane("a2", 0, Map.of("RUNNING", List.of(0, 0, 3)))));
        TaskStreamJson g = TaskStreamRoute.grouped(s, 2);
        assertThat(g.grouped()).isTrue();
        assertThat(g.slots()).isEqualTo(3);
        assertThat(g.lanes()).extracting(TaskStreamJson.Lane::agent).containsExactly("a1", "a2");
        assertThat(g.lanes()).allSatisfy(l -> assertThat(l.slot()).isEqualTo(-1));
        assertThat(g.lanes().get(0).counts()).isEqualTo(Map.of("SUCCEEDED", List.of(1, 1, 3), "FAILED", List.of(0, 0, 1)));
        assertThat(g.lanes().get(1).counts()).isEqualTo(Map.of("RUNNING", List.of(0, 0, 3)));
        assertThat(g.totalAttempts()).isEqualTo(9);

        assertThat(TaskStreamRoute.grouped(s, 3)).as("as many slots as lanes asked for: unchanged").isSameAs(s);
    }
}
