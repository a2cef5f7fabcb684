package io.drover.coordinator.stream;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Folds one job's attempts into lanes by time buckets; pure, run outside the recorder's lock. */
final class TaskStreamAggregation {
    private static final int OUTCOMES = AttemptOutcome.values().length;

    private TaskStreamAggregation() {
    }

    static TaskStream of(String jobId, JobAttempts.Columns c, List<String> agentNames, int buckets, int maxListed,
                         long now) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be >= 1, was " + buckets);
        }
        if (c == null || c.size() == 0) {
            return new TaskStream(jobId, now, 1, 0, List.of(), 0, Optional.of(List.of()), c != null && c.truncated(), now);
        }
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (int i = 0; i < c.size(); i++) {
            from = Math.min(from, c.starts()[i]);
            to = Math.max(to, end(c, i, now));
        }
        long span = to - from + 1;
        long bucketMs = Math.max(1, (span + buckets - 1) / buckets);
        int used = (int) ((span + bucketMs - 1) / bucketMs);

        Map<Long, int[][]> byLane = new HashMap<>();
        for (int i = 0; i < c.size(); i++) {
            long lane = ((long) c.agents()[i] << 32) | (c.slots()[i] & 0xffffffffL);
            int[][] counts = byLane.computeIfAbsent(lane, k -> new int[OUTCOMES][used]);
            int first = (int) ((c.starts()[i] - from) / bucketMs);
            int last = (int) Math.min(used - 1, (end(c, i, now) - from) / bucketMs);
            int[] row = counts[c.outcomes()[i]];
            for (int b = first; b <= last; b++) {
                row[b]++;
            }
        }
        List<TaskStream.Lane> lanes = new ArrayList<>(byLane.size());
        byLane.forEach((key, counts) -> lanes.add(new TaskStream.Lane(agentNames.get((int) (key >>> 32)), (int) (long) key, counts)));
        lanes.sort(Comparator.comparing(TaskStream.Lane::agentId).thenComparingInt(TaskStream.Lane::slot));

        Optional<List<StreamedAttempt>> listed = Optional.empty();
        if (c.size() <= maxListed) {
            List<StreamedAttempt> attempts = new ArrayList<>(c.size());
            for (int i = 0; i < c.size(); i++) {
                attempts.add(new StreamedAttempt(c.tasks()[i], c.numbers()[i], agentNames.get(c.agents()[i]), c.slots()[i],
                        c.starts()[i], c.ends()[i], AttemptOutcome.values()[c.outcomes()[i]]));
            }
            listed = Optional.of(attempts);
        }
        return new TaskStream(jobId, from, bucketMs, used, lanes, c.size(), listed, c.truncated(), now);
    }

    private static long end(JobAttempts.Columns c, int i, long now) {
        return c.ends()[i] < 0 ? Math.max(now, c.starts()[i]) : c.ends()[i];
    }
}
