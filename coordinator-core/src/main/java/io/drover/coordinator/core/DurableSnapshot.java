package io.drover.coordinator.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What compaction writes in place of the log, in two parts: the facts of everything that may still
 * change ({@code live}: schedules, quotas, agents, jobs not yet ended) and, job by job, the facts of
 * each finished job the leader keeps. A finished job never changes again, so a store can write its
 * facts once and refer to them from every later snapshot instead of writing them all again: the
 * cost of a compaction then follows the live work, not the history kept. A finished job's facts are
 * built only when asked for, on the core's thread.
 */
public record DurableSnapshot(List<Fact> live, List<FinishedJob> finished) {

    /** One finished job: its id, and its facts (definition, results and failures, end) when asked. */
    public record FinishedJob(String jobId, Supplier<List<Fact>> facts) {
    }

    public DurableSnapshot {
        live = List.copyOf(live);
        finished = List.copyOf(finished);
    }

    /** Every fact in one list, the finished jobs' first (in the order they were kept), then the live ones. */
    public List<Fact> allFacts() {
        List<Fact> out = new ArrayList<>();
        finished.forEach(f -> out.addAll(f.facts().get()));
        out.addAll(live);
        return out;
    }
}
