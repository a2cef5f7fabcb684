package io.drover.coordinator.core;

import java.util.List;

/** Everything a new leader rebuilds from the durable facts. */
public record RecoveredState(List<RecoveredJob> jobs, List<RecoveredAgent> agents, List<ScheduleChange> schedules) {
    public RecoveredState {
        jobs = List.copyOf(jobs);
        agents = List.copyOf(agents);
        schedules = List.copyOf(schedules);
    }

    /** Without schedule changes. */
    public RecoveredState(List<RecoveredJob> jobs, List<RecoveredAgent> agents) {
        this(jobs, agents, List.of());
    }

    public static RecoveredState of(List<RecoveredJob> jobs) {
        return new RecoveredState(jobs, List.of());
    }
}
