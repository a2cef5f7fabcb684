package io.drover.coordinator.rpc;

import io.drover.coordinator.core.AgentState;
import io.drover.coordinator.core.Event;
import io.drover.coordinator.core.Response;
import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.InvalidRequest;
import io.drover.protocol.thrift.LogChunk;
import io.drover.protocol.thrift.LogStream;
import io.drover.protocol.thrift.Unavailable;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.apache.thrift.async.AsyncMethodCallback;

/**
 * A client's read of a task's captured output. Agents are outbound-only, so the leader finds
 * where the task's newest attempt ran, queues a request for that agent ({@link LogRelay}), wakes
 * its parked heartbeat to carry it, and answers when the agent delivers the piece.
 */
final class LogReadCalls {
    private final CoreGateway core;
    private final LogRelay logs;

    LogReadCalls(CoreGateway core, LogRelay logs) {
        this.core = core;
        this.logs = logs;
    }

    /**
     * Answers with the piece, or after {@code waitMs} with an empty chunk of size
     * {@link LogRelay#NO_ANSWER}. A task that has not started yet has an empty output; an agent
     * the leader no longer reaches is an error.
     */
    void readLog(String jobId, int task, LogStream stream, long offset, int maxBytes, long waitMs,
                 AsyncMethodCallback<LogChunk> done) {
        if (jobId == null || stream == null || offset < 0) {
            done.onError(new InvalidRequest("readLog needs a jobId, a stream and an offset >= 0"));
            return;
        }
        int limit = Math.max(1, Math.min(maxBytes, WireLimits.LOG_CHUNK_BYTES));
        long wait = Math.max(0, Math.min(waitMs, WireLimits.MAX_LOG_WAIT_MS));
        var term = core.term();
        core.askThen(done, CoreAsk.locate(jobId, task)).thenAccept(where -> {
            if (where.attempts() == 0) {
                done.onComplete(new LogChunk(0, jobId, task, 0, stream, offset, ByteBuffer.allocate(0),
                        where.taskEnded(), 0, false));
                return;
            }
            String unreachable = unreachable(where);
            if (unreachable != null) {
                done.onError(new InvalidRequest(unreachable));
                return;
            }
            CompletableFuture<LogChunk> chunk;
            try {
                chunk = logs.request(where.agentId(), jobId, task, where.attemptId(), stream, offset, limit, wait);
            } catch (IllegalStateException e) {
                done.onError(new Unavailable(e.getMessage()));
                return;
            }
            term.ifPresent(t -> t.loop().tell(new Event.WakeAgent(t.loop().nowMs(), where.agentId())));
            chunk.whenComplete((c, error) -> {
                if (error != null) {
                    done.onError(core.translate(error));
                } else {
                    done.onComplete(c);
                }
            });
        });
    }

    /** Why the agent holding the task's output cannot be asked, or null when it can. */
    private static String unreachable(Response.TaskLocation where) {
        String what = "task " + where.task() + " of job " + where.jobId();
        if (where.agentId() == null) {
            return "the agent that ran " + what + " is not known to this coordinator (it ran before the current "
                    + "leader took over); its output stays on that agent until log retention removes it";
        }
        if (where.agentState() == null) {
            return "agent " + where.agentId() + " that ran " + what + " is gone (decommissioned); its output cannot be read";
        }
        if (where.agentState() == AgentState.LOST) {
            return "agent " + where.agentId() + " that ran " + what + " is LOST; its output can be read once it is back";
        }
        return null;
    }
}
