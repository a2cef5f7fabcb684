package io.drover.sdk.internal;

import io.drover.protocol.thrift.StreamAttempt;
import io.drover.protocol.thrift.StreamLane;
import io.drover.protocol.thrift.TaskStreamView;
import io.drover.sdk.TaskStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The wire's task stream as the SDK's {@link TaskStream}; every field is optional on the wire. */
public final class StreamMappers {
    private StreamMappers() {
    }

    public static TaskStream toTaskStream(TaskStreamView v) {
        List<TaskStream.Lane> lanes = new ArrayList<>();
        if (v.getLanes() != null) {
            for (StreamLane l : v.getLanes()) {
                Map<String, List<Integer>> counts = new LinkedHashMap<>();
                counts.put("RUNNING", counts(l.getRunning()));
                counts.put("SUCCEEDED", counts(l.getSucceeded()));
                counts.put("FAILED", counts(l.getFailed()));
                counts.put("RETRIED", counts(l.getRetried()));
                counts.put("CANCELLED", counts(l.getCancelled()));
                counts.put("LOST", counts(l.getLost()));
                lanes.add(new TaskStream.Lane(l.getAgentId() == null ? "" : l.getAgentId(),
                        l.isSetSlot() ? l.getSlot() : -1, java.util.Collections.unmodifiableMap(counts)));
            }
        }
        Optional<List<TaskStream.Attempt>> attempts = Optional.empty();
        if (v.getAttempts() != null) {
            List<TaskStream.Attempt> out = new ArrayList<>(v.getAttempts().size());
            for (StreamAttempt a : v.getAttempts()) {
                out.add(new TaskStream.Attempt(a.getTask(), a.getAttempt(), a.getAgentId() == null ? "" : a.getAgentId(),
                        a.isSetSlot() ? a.getSlot() : -1, Instant.ofEpochMilli(a.getStartMs()),
                        a.isSetEndMs() ? Optional.of(Instant.ofEpochMilli(a.getEndMs())) : Optional.empty(),
                        a.getOutcome() == null ? "RUNNING" : a.getOutcome()));
            }
            attempts = Optional.of(List.copyOf(out));
        }
        return new TaskStream(v.getJobId(), Instant.ofEpochMilli(v.getFromMs()), Math.max(1, v.getBucketMs()), v.getBuckets(),
                List.copyOf(lanes), v.getTotalAttempts(), attempts, v.isTruncated(), Instant.ofEpochMilli(v.getGeneratedAtMs()));
    }

    private static List<Integer> counts(List<Integer> wire) {
        return wire == null ? List.of() : List.copyOf(wire);
    }
}
