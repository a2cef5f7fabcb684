package io.drover.coordinator.rpc;

import io.drover.coordinator.stream.AttemptOutcome;
import io.drover.coordinator.stream.StreamedAttempt;
import io.drover.coordinator.stream.TaskStream;
import io.drover.coordinator.stream.TaskStreamRecorder;
import io.drover.protocol.thrift.Assignment;
import io.drover.protocol.thrift.HeartbeatReply;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.Outcome;
import io.drover.protocol.thrift.StreamAttempt;
import io.drover.protocol.thrift.StreamLane;
import io.drover.protocol.thrift.TaskResult;
import io.drover.protocol.thrift.TaskStreamView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.thrift.async.AsyncMethodCallback;

/**
 * The task stream's wire side: feeds the {@link TaskStreamRecorder} from each heartbeat the leader answered
 * (results the agent reported, assignments the reply carries) and answers {@code taskStream} calls.
 */
final class TaskStreams {
    static final int MAX_BUCKETS = 200;
    static final int MAX_LISTED = 2_000;

    private final CoreGateway core;
    private final TaskStreamRecorder recorder;

    TaskStreams(CoreGateway core, TaskStreamRecorder recorder) {
        this.core = core;
        this.recorder = recorder;
    }

    /** Called with a heartbeat the core answered, so only the leader records, in its own term. */
    void heartbeat(HeartbeatRequest q, HeartbeatReply reply) {
        Optional<Long> epoch = core.term().map(t -> t.epoch().value());
        if (epoch.isEmpty()) {
            return;
        }
        long term = epoch.get();
        String agent = q.getAgentId();
        if (q.getResults() != null) {
            for (TaskResult r : q.getResults()) {
                if (r.getJobId() != null && r.getOutcome() != null) {
                    recorder.finished(term, agent, r.getJobId(), r.getTask(), r.getAttemptId(), outcome(r.getOutcome()),
                            r.getRunMillis());
                }
            }
        }
        if (reply.getAssignments() != null) {
            for (Assignment a : reply.getAssignments()) {
                recorder.assigned(term, agent, a.getJobId(), a.getTask(), a.getAttemptId());
            }
        }
    }

    /** The job must exist (an unknown id is InvalidRequest, as for getJob); its stream may be empty. */
    void taskStream(String jobId, int buckets, int maxListed, AsyncMethodCallback<TaskStreamView> done) {
        int b = buckets <= 0 ? MAX_BUCKETS : Math.min(buckets, MAX_BUCKETS);
        int listed = Math.max(0, Math.min(maxListed, MAX_LISTED));
        // Aggregated on the I/O pool: the recorder copies the job's columns under its lock, then sums outside it.
        core.answerOffLoop(done, CoreAsk.job(jobId, false, false), job -> view(recorder.stream(jobId, b, listed)));
    }

    private static AttemptOutcome outcome(Outcome o) {
        return switch (o) {
            case SUCCEEDED -> AttemptOutcome.SUCCEEDED;
            case CANCELLED -> AttemptOutcome.CANCELLED;
            case FAILED, TIMED_OUT, REJECTED -> AttemptOutcome.FAILED;
        };
    }

    static TaskStreamView view(TaskStream s) {
        TaskStreamView v = new TaskStreamView();
        v.setJobId(s.jobId());
        v.setFromMs(s.fromMs());
        v.setBucketMs(s.bucketMs());
        v.setBuckets(s.buckets());
        v.setTotalAttempts(s.totalAttempts());
        v.setTruncated(s.truncated());
        v.setGeneratedAtMs(s.generatedAtMs());
        List<StreamLane> lanes = new ArrayList<>(s.lanes().size());
        for (TaskStream.Lane l : s.lanes()) {
            StreamLane lane = new StreamLane();
            lane.setAgentId(l.agentId());
            lane.setSlot(l.slot());
            // An outcome the lane never had is left unset: most lanes of a finished job carry one list, not six.
            ints(l.counts(AttemptOutcome.RUNNING)).ifPresent(lane::setRunning);
            ints(l.counts(AttemptOutcome.SUCCEEDED)).ifPresent(lane::setSucceeded);
            ints(l.counts(AttemptOutcome.FAILED)).ifPresent(lane::setFailed);
            ints(l.counts(AttemptOutcome.RETRIED)).ifPresent(lane::setRetried);
            ints(l.counts(AttemptOutcome.CANCELLED)).ifPresent(lane::setCancelled);
            ints(l.counts(AttemptOutcome.LOST)).ifPresent(lane::setLost);
            lanes.add(lane);
        }
        v.setLanes(lanes);
        s.attempts().ifPresent(list -> {
            List<StreamAttempt> out = new ArrayList<>(list.size());
            for (StreamedAttempt a : list) {
                StreamAttempt w = new StreamAttempt();
                w.setTask(a.task());
                w.setAttempt(a.attempt());
                w.setAgentId(a.agentId());
                w.setSlot(a.slot());
                w.setStartMs(a.startMs());
                if (a.endMs() >= 0) {
                    w.setEndMs(a.endMs());
                }
                w.setOutcome(a.outcome().name());
                out.add(w);
            }
            v.setAttempts(out);
        });
        return v;
    }

    private static Optional<List<Integer>> ints(int[] counts) {
        boolean any = false;
        List<Integer> out = new ArrayList<>(counts.length);
        for (int c : counts) {
            out.add(c);
            any |= c != 0;
        }
        return any ? Optional.of(out) : Optional.empty();
    }
}
