package io.drover.coordinator.rpc;

import io.drover.protocol.thrift.LogChunk;
import io.drover.protocol.thrift.LogRequest;
import io.drover.protocol.thrift.LogStream;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Carries reads of task output between clients and agents, which only ever call in: a client's
 * {@code readLog} becomes a {@link LogRequest} queued for the agent, handed out with that agent's
 * next heartbeat reply, and answered when the agent calls {@code deliverLog}. Soft state only: a
 * request lost with a reply or a leader change simply times out.
 *
 * <p>Every request ends exactly once: with the agent's chunk, or after its wait with an empty chunk
 * whose {@code size} is -1 (no answer in time; the client asks again). Bounded: at most
 * {@value #MAX_QUEUED_PER_AGENT} requests wait per agent and {@value #MAX_PENDING} in all.
 *
 * <p>Request ids are random 63-bit values, so no agent can guess the id of a read sent to another;
 * an answer is taken only from the agent the request went to.
 */
public final class LogRelay {
    static final int MAX_QUEUED_PER_AGENT = 64;
    static final int MAX_PENDING = 4096;
    /** The size of a chunk that stands for "the agent did not answer in time". */
    public static final long NO_ANSWER = -1;

    private record Pending(String agentId, LogRequest request, CompletableFuture<LogChunk> reply) {
    }

    private final ScheduledExecutorService timer;
    private final SecureRandom random = new SecureRandom();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Queue<Long>> queued = new ConcurrentHashMap<>();
    private final LongAdder requested = new LongAdder();
    private final LongAdder answered = new LongAdder();
    private final LongAdder timedOut = new LongAdder();

    /** {@code timer} ends requests that wait too long; the owner shuts it down. */
    public LogRelay(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /**
     * Queues a read for {@code agentId}; the future completes with its answer, or with an empty
     * chunk of size {@link #NO_ANSWER} after {@code waitMs}.
     *
     * @throws IllegalStateException when too many reads already wait (for this agent or in all)
     */
    public CompletableFuture<LogChunk> request(String agentId, String jobId, int task, long attemptId, LogStream stream,
                                               long offset, int maxBytes, long waitMs) {
        Queue<Long> queue = queued.computeIfAbsent(agentId, id -> new ConcurrentLinkedQueue<>());
        if (queue.size() >= MAX_QUEUED_PER_AGENT || pending.size() >= MAX_PENDING) {
            throw new IllegalStateException("too many log reads are waiting for agent " + agentId + "; try again later");
        }
        long id = newRequestId();
        LogRequest request = new LogRequest(id, jobId, task, attemptId, stream, offset, maxBytes);
        CompletableFuture<LogChunk> reply = new CompletableFuture<>();
        reply.whenComplete((chunk, error) -> pending.remove(id));
        if (pending.putIfAbsent(id, new Pending(agentId, request, reply)) != null) {
            throw new IllegalStateException("log request id collision; try again"); // 1 in 2^50 at full load
        }
        requested.increment();
        ScheduledFuture<?> timeout = timer.schedule(() -> expire(id), Math.max(0, waitMs), TimeUnit.MILLISECONDS);
        reply.whenComplete((chunk, error) -> timeout.cancel(false));
        queue.add(id);
        return reply;
    }

    /** A positive id no agent can guess (0 and negatives never occur). */
    private long newRequestId() {
        long id;
        do {
            id = random.nextLong() & Long.MAX_VALUE;
        } while (id == 0);
        return id;
    }

    /** What became of an agent's answer. */
    public enum Delivery {
        /** The waiting read has its answer. */
        DELIVERED,
        /** No read waits under this id (it timed out or was answered): dropped. */
        NOT_WAITING,
        /** The read was sent to another agent: refused. */
        NOT_YOURS
    }

    /** The reads waiting for {@code agentId}, for its heartbeat reply; each is handed out once. */
    public List<LogRequest> takeFor(String agentId) {
        Queue<Long> queue = queued.get(agentId);
        if (queue == null || queue.isEmpty()) {
            return List.of();
        }
        List<LogRequest> out = new ArrayList<>();
        Long id;
        while ((id = queue.poll()) != null) {
            Pending p = pending.get(id);
            if (p != null) {
                out.add(p.request());
            }
        }
        return out;
    }

    /** Whether reads wait for {@code agentId} that it has not been handed yet. */
    public boolean hasQueued(String agentId) {
        Queue<Long> queue = queued.get(agentId);
        return queue != null && !queue.isEmpty();
    }

    /**
     * An agent's answer: delivered, dropped when no read waits for it any more, or refused when the
     * read was sent to another agent.
     *
     * @throws IllegalArgumentException when the chunk carries more than the read asked for
     */
    public Delivery deliver(String agentId, LogChunk chunk) {
        Pending p = pending.get(chunk.getRequestId());
        if (p == null) {
            return Delivery.NOT_WAITING;
        }
        if (!p.agentId().equals(agentId)) {
            return Delivery.NOT_YOURS;
        }
        int length = chunk.isSetData() ? chunk.bufferForData().remaining() : 0;
        if (length > p.request().getMaxBytes()) {
            throw new IllegalArgumentException("log chunk of " + length + " bytes for request " + chunk.getRequestId()
                    + " exceeds the " + p.request().getMaxBytes() + " bytes asked for");
        }
        if (!p.reply().complete(chunk)) {
            return Delivery.NOT_WAITING;
        }
        answered.increment();
        return Delivery.DELIVERED;
    }

    private void expire(long id) {
        Pending p = pending.get(id);
        if (p != null && p.reply().complete(noAnswer(p.request()))) {
            timedOut.increment();
            Queue<Long> queue = queued.get(p.agentId());
            if (queue != null) {
                queue.remove(id);
            }
        }
    }

    /** An empty chunk at the request's offset: nothing known yet. */
    static LogChunk noAnswer(LogRequest r) {
        return new LogChunk(r.getRequestId(), r.getJobId(), r.getTask(), r.getAttemptId(), r.getStream(), r.getOffset(),
                ByteBuffer.allocate(0), false, NO_ANSWER, false);
    }

    /** Reads asked of agents so far. */
    public long requested() {
        return requested.sum();
    }

    /** Reads an agent answered in time. */
    public long answered() {
        return answered.sum();
    }

    /** Reads that ended without an answer. */
    public long timedOut() {
        return timedOut.sum();
    }

    /** Reads waiting now. */
    public int waiting() {
        return pending.size();
    }
}
