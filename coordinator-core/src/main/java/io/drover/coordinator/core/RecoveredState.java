package io.drover.coordinator.core;

import java.util.List;

/** Everything a new leader rebuilds from the durable facts. */
public record RecoveredState(List<RecoveredJob> jobs, List<RecoveredAgent> agents, List<ScheduleChange> schedules,
                             List<Quota> quotas) {
    public RecoveredState {
        jobs = List.copyOf(jobs);
        agents = List.copyOf(agents);
        schedules = List.copyOf(schedules);
        quotas = quotas == null ? List.of() : List.copyOf(quotas);
    }

    /** Without quotas. */
    public RecoveredState(List<RecoveredJob> jobs, List<RecoveredAgent> agents, List<ScheduleChange> schedules) {
        this(jobs, agents, schedules, List.of());
    }

    /** Without schedule changes. */
    public RecoveredState(List<RecoveredJob> jobs, List<RecoveredAgent> agents) {
        this(jobs, agents, List.of());
    }

    public static RecoveredState of(List<RecoveredJob> jobs) {
        return new RecoveredState(jobs, List.of());
    }
}
