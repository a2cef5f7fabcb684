package io.drover.coordinator.store;

import io.drover.coordinator.core.Fact;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Groups task commits into runs for the fact log: a job of a million shards commits a million
 * results, and one record each (job id, task, attempt, value, count: ~35 bytes for an empty
 * value) would fill ZooKeeper with what a run says in ~5 bytes a task. Only commits that stand
 * next to each other in the list are grouped (a block with no other fact between them); inside a
 * block they are sorted by job and task, stably, which replay does not notice: commits of
 * distinct tasks do not depend on each other's order, and of two commits of one task the first
 * still comes first.
 */
final class CommittedRuns {
    /** Most tasks in one run, so a run stays a small part of a batch. */
    static final int MAX_RUN_TASKS = 1024;
    /** A run is cut once its values reach this many bytes. */
    static final int MAX_RUN_VALUE_BYTES = 16 * 1024;
    /** A value this large is written as a fact of its own: runs are for small results. */
    static final int MAX_VALUE_IN_RUN = 1024;

    /** One entry of a batch: a single fact, or a run of commits of one job, sorted by task. */
    sealed interface Entry {
    }

    record Single(Fact fact) implements Entry {
    }

    record Run(String jobId, List<Fact.TaskCommitted> commits) implements Entry {
    }

    private static final Comparator<Fact.TaskCommitted> BY_JOB_AND_TASK =
            Comparator.comparing(Fact.TaskCommitted::jobId).thenComparingInt(Fact.TaskCommitted::task);

    private CommittedRuns() {
    }

    static List<Entry> group(List<Fact> facts) {
        List<Entry> out = new ArrayList<>();
        List<Fact.TaskCommitted> block = new ArrayList<>();
        for (Fact f : facts) {
            if (f instanceof Fact.TaskCommitted c && c.blob() == null && valueSize(c) <= MAX_VALUE_IN_RUN) {
                block.add(c);
                continue;
            }
            flush(block, out);
            out.add(new Single(f));
        }
        flush(block, out);
        return out;
    }

    private static void flush(List<Fact.TaskCommitted> block, List<Entry> out) {
        if (block.isEmpty()) {
            return;
        }
        block.sort(BY_JOB_AND_TASK); // List.sort is stable
        List<Fact.TaskCommitted> run = new ArrayList<>();
        int bytes = 0;
        for (Fact.TaskCommitted c : block) {
            boolean full = run.size() >= MAX_RUN_TASKS || bytes >= MAX_RUN_VALUE_BYTES;
            if (!run.isEmpty() && (full || !run.get(0).jobId().equals(c.jobId()))) {
                emit(run, out);
                run = new ArrayList<>();
                bytes = 0;
            }
            run.add(c);
            bytes += valueSize(c);
        }
        emit(run, out);
        block.clear();
    }

    private static void emit(List<Fact.TaskCommitted> run, List<Entry> out) {
        out.add(run.size() == 1 ? new Single(run.get(0)) : new Run(run.get(0).jobId(), List.copyOf(run)));
    }

    private static int valueSize(Fact.TaskCommitted c) {
        return c.value() == null ? 0 : c.value().length;
    }
}
