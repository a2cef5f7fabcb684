package io.drover.testkit;

import io.drover.protocol.Sha256;
import io.drover.protocol.thrift.AgentRegistration;
import io.drover.protocol.thrift.ArtifactChunk;
import io.drover.protocol.thrift.LogChunk;
import org.apache.thrift.TException;
import io.drover.protocol.thrift.Assignment;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.HeartbeatReply;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.InvalidRequest;
import io.drover.protocol.thrift.JobDescriptor;
import io.drover.protocol.thrift.JobKind;
import io.drover.protocol.thrift.JvmIsolation;
import io.drover.protocol.thrift.RunningAttempt;
import io.drover.protocol.thrift.ServerInfo;
import io.drover.protocol.thrift.TaskResult;
import io.drover.protocol.thrift.Unavailable;
import io.drover.protocol.thrift.droverConstants;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A recording in-memory coordinator with the agent-facing semantics of the real one: agents must
 * register; heartbeats ack every result they carry; a heartbeat with maxWaitMs > 0 is parked until
 * there is work or cancellations for the agent (a newer poll releases an older one empty);
 * describeJob and fetchArtifact serve what the test put in. Everything is guarded by {@code this}.
 */
public final class FakeAgentService implements AgentService.Iface {
    private final AtomicLong nextAttempt = new AtomicLong(1000);
    private final Map<String, JobDescriptor> jobs = new HashMap<>();
    private final Map<String, byte[]> artifacts = new HashMap<>();
    private final Map<String, Integer> fetches = new HashMap<>();
    private final List<AgentRegistration> registrations = new ArrayList<>();
    private final Set<String> known = new HashSet<>();
    private final Map<String, List<Assignment>> queuedWork = new HashMap<>();
    private final Map<String, List<Long>> queuedCancels = new HashMap<>();
    private final Map<String, Long> pollGeneration = new HashMap<>();
    private final Map<Long, TaskResult> results = new LinkedHashMap<>();
    private final Map<Long, Integer> reportCounts = new HashMap<>();
    private final Map<String, List<RunningAttempt>> running = new HashMap<>();
    private final Map<String, Boolean> drainingInPolls = new HashMap<>();
    private final Map<String, Boolean> drainingInReports = new HashMap<>();
    private final Map<String, Integer> fetchFailuresAfter = new HashMap<>();
    private final Map<String, List<io.drover.protocol.thrift.DependencyResult>> upstream = new HashMap<>();
    private int fetchCalls;
    private boolean released;
    private boolean unavailable;
    private int refusedCalls;
    private int acksToWithhold;
    private Long offlineStopAfterMs;

    // ---------------------------------------------------------------- test controls

    /** Stores an artifact under its true hash; returns the hash. */
    public synchronized String putArtifact(byte[] bytes) {
        String sha = Sha256.hex(bytes);
        artifacts.put(sha, bytes.clone());
        return sha;
    }

    /** Stores bytes under a hash they do not have (a corrupt store). */
    public synchronized void putArtifactUnder(String sha, byte[] bytes) {
        artifacts.put(sha, bytes.clone());
    }

    public synchronized void addJvmJob(String jobId, String sha, String entryClass, int shardCount, long timeoutMs,
                                       List<String> arguments) {
        JobDescriptor d = new JobDescriptor(jobId, JobKind.JVM, arguments, shardCount, timeoutMs, 0);
        d.setArtifactSha256(sha);
        d.setArtifactSize(artifacts.containsKey(sha) ? artifacts.get(sha).length : 0);
        d.setEntryClass(entryClass);
        jobs.put(jobId, d);
    }

    /** Sets the memory a job asks for (its worker heap). */
    public synchronized void setMemoryMb(String jobId, long memoryMb) {
        jobs.get(jobId).setMemoryMb(memoryMb);
    }

    public synchronized void setIsolation(String jobId, JvmIsolation isolation) {
        jobs.get(jobId).setIsolation(isolation);
    }

    public synchronized void addProcessJob(String jobId, List<String> command, int shardCount, long timeoutMs,
                                           List<String> arguments) {
        JobDescriptor d = new JobDescriptor(jobId, JobKind.PROCESS, arguments, shardCount, timeoutMs, 0);
        d.setCommand(command);
        jobs.put(jobId, d);
    }

    /** A process job with an environment and working directory (null: the task's directory). */
    public synchronized void addProcessJob(String jobId, List<String> command, int shardCount, long timeoutMs,
                                           Map<String, String> environment, String workingDirectory) {
        JobDescriptor d = new JobDescriptor(jobId, JobKind.PROCESS, List.of(), shardCount, timeoutMs, 0);
        d.setCommand(command);
        d.setEnvironment(new HashMap<>(environment));
        if (workingDirectory != null) {
            d.setWorkingDirectory(workingDirectory);
        }
        jobs.put(jobId, d);
    }

    /** Queues a shard for the agent; returns the attempt id. */
    public long assign(String agentId, String jobId, int task, String shardParameter) {
        Assignment a = new Assignment(nextAttempt.incrementAndGet(), jobId, task, false);
        if (shardParameter != null) {
            a.setShardParameter(shardParameter);
        }
        return queue(agentId, a);
    }

    public long assignReduce(String agentId, String jobId, int shardCount, List<byte[]> inputs) {
        Assignment a = new Assignment(nextAttempt.incrementAndGet(), jobId, shardCount, true);
        a.setReduceInputs(inputs.stream().map(ByteBuffer::wrap).toList());
        return queue(agentId, a);
    }

    /** A reduce task whose inputs at the keys of {@code blobs} are result blobs (their entry in {@code inputs} empty). */
    public long assignReduce(String agentId, String jobId, int shardCount, List<byte[]> inputs,
                             Map<Integer, io.drover.protocol.thrift.ResultBlobRef> blobs) {
        Assignment a = new Assignment(nextAttempt.incrementAndGet(), jobId, shardCount, true);
        a.setReduceInputs(inputs.stream().map(ByteBuffer::wrap).toList());
        a.setReduceInputBlobs(new HashMap<>(blobs));
        return queue(agentId, a);
    }

    public synchronized void cancel(String agentId, long attemptId) {
        queuedCancels.computeIfAbsent(agentId, k -> new ArrayList<>()).add(attemptId);
        notifyAll();
    }

    /** Forgets every agent, as a new leader would: their next heartbeat is told to re-register. */
    public synchronized void forgetAgents() {
        known.clear();
        notifyAll();
    }

    /** While set, agent calls fail with Unavailable (as during a ZooKeeper outage or a failover). */
    public synchronized void setUnavailable(boolean value) {
        unavailable = value;
    }

    /** Every heartbeat reply from now on states this offline stop bound (null: replies do not state one). */
    public synchronized void setOfflineStopAfterMs(Long ms) {
        offlineStopAfterMs = ms;
    }

    /** The next {@code count} reported results are recorded but not acknowledged (a lost reply). */
    public synchronized void withholdAcks(int count) {
        acksToWithhold = count;
    }

    public synchronized int refusedCalls() {
        return refusedCalls;
    }

    private void checkAvailable() throws Unavailable {
        if (unavailable) {
            refusedCalls++;
            throw new Unavailable("test coordinator is unavailable");
        }
    }

    public synchronized Optional<TaskResult> result(long attemptId) {
        return Optional.ofNullable(results.get(attemptId)).map(TaskResult::deepCopy);
    }

    public synchronized int timesReported(long attemptId) {
        return reportCounts.getOrDefault(attemptId, 0);
    }

    public synchronized List<AgentRegistration> registrations() {
        return List.copyOf(registrations);
    }

    /** Chunks of the artifact served so far. */
    public synchronized int fetches(String sha) {
        return fetches.getOrDefault(sha, 0);
    }

    /** Every fetchArtifact call, served or failed. */
    public synchronized int fetchCalls() {
        return fetchCalls;
    }

    /**
     * Once {@code chunks} chunks of the artifact have been served, the next fetch fails (once) as a
     * refusal, which reaches the agent's artifact cache at once. (An outage would do the same, but
     * only after the connection's retry deadline, since the connection retries unavailability itself.)
     */
    public synchronized void failFetchOnceAfter(String sha, int chunks) {
        fetchFailuresAfter.put(sha, chunks);
    }

    /** Whether the agent's latest heartbeat listed the attempt as running. */
    public synchronized boolean reportedRunning(String agentId, long attemptId) {
        return running.getOrDefault(agentId, List.of()).stream().anyMatch(r -> r.getAttemptId() == attemptId);
    }

    /**
     * The draining flag of the agent's latest long poll ({@code longPoll}) or latest immediate
     * heartbeat (a report); empty before the first.
     */
    public synchronized Optional<Boolean> lastDrainingFlag(String agentId, boolean longPoll) {
        return Optional.ofNullable((longPoll ? drainingInPolls : drainingInReports).get(agentId));
    }

    synchronized void releaseParkedPolls() {
        released = true;
        notifyAll();
    }

    private synchronized long queue(String agentId, Assignment a) {
        queuedWork.computeIfAbsent(agentId, k -> new ArrayList<>()).add(a);
        notifyAll();
        return a.getAttemptId();
    }

    // ---------------------------------------------------------------- agent-facing service

    @Override
    public synchronized ServerInfo hello(Hello hello) {
        return new ServerInfo(droverConstants.PROTOCOL_VERSION, droverConstants.MIN_PROTOCOL_VERSION, "fake", true, 1);
    }

    @Override
    public synchronized void registerAgent(AgentRegistration registration) throws Unavailable {
        checkAvailable();
        registrations.add(registration.deepCopy());
        known.add(registration.getAgentId());
        notifyAll();
    }

    @Override
    public synchronized HeartbeatReply heartbeat(HeartbeatRequest request) throws Unavailable {
        checkAvailable();
        String agent = request.getAgentId();
        HeartbeatReply reply = new HeartbeatReply(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), false);
        if (!known.contains(agent)) {
            reply.setReRegister(true);
            return reply;
        }
        (request.getMaxWaitMs() > 0 ? drainingInPolls : drainingInReports).put(agent, request.isDraining());
        for (TaskResult r : request.getResults()) {
            results.putIfAbsent(r.getAttemptId(), r.deepCopy());
            reportCounts.merge(r.getAttemptId(), 1, Integer::sum);
            if (acksToWithhold > 0) {
                acksToWithhold--;
            } else {
                reply.addToAckedAttempts(r.getAttemptId());
            }
        }
        running.put(agent, List.copyOf(request.getRunning()));
        if (request.getMaxWaitMs() > 0) {
            park(agent, request.getMaxWaitMs());
        }
        if (!known.contains(agent)) {
            reply.setReRegister(true);
            return reply;
        }
        reply.setAssignments(drain(queuedWork, agent));
        reply.setCancelAttempts(drain(queuedCancels, agent));
        if (offlineStopAfterMs != null) {
            reply.setOfflineStopAfterMs(offlineStopAfterMs);
        }
        return reply;
    }

    /** Waits until there is something for the agent, a newer poll arrives, or the wait passes. */
    private void park(String agent, long maxWaitMs) {
        long generation = pollGeneration.merge(agent, 1L, Long::sum);
        notifyAll(); // releases an older parked poll of this agent
        long deadline = System.currentTimeMillis() + maxWaitMs;
        while (!released && known.contains(agent) && pollGeneration.get(agent) == generation
                && queuedWork.getOrDefault(agent, List.of()).isEmpty()
                && queuedCancels.getOrDefault(agent, List.of()).isEmpty()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static <T> List<T> drain(Map<String, List<T>> queues, String agent) {
        List<T> queued = queues.remove(agent);
        return queued == null ? new ArrayList<>() : queued;
    }

    @Override
    public synchronized JobDescriptor describeJob(String jobId) throws InvalidRequest, Unavailable {
        checkAvailable();
        JobDescriptor d = jobs.get(jobId);
        if (d == null) {
            throw new InvalidRequest("no job " + jobId);
        }
        return d.deepCopy();
    }

    @Override
    public synchronized ArtifactChunk fetchArtifact(String sha256, long offset, int maxBytes) throws InvalidRequest, Unavailable {
        checkAvailable();
        byte[] bytes = artifacts.get(sha256);
        if (bytes == null) {
            throw new InvalidRequest("no artifact " + sha256);
        }
        if (offset < 0 || offset > bytes.length) {
            throw new InvalidRequest("offset " + offset + " outside artifact " + sha256);
        }
        fetchCalls++;
        if (fetchFailuresAfter.containsKey(sha256) && fetchFailuresAfter.get(sha256) == fetches.getOrDefault(sha256, 0)) {
            fetchFailuresAfter.remove(sha256);
            throw new InvalidRequest("test coordinator: link broke after " + offset + " bytes of " + sha256);
        }
        fetches.merge(sha256, 1, Integer::sum);
        byte[] data = Arrays.copyOfRange(bytes, (int) offset, (int) Math.min(bytes.length, offset + maxBytes));
        return new ArtifactChunk(sha256, offset, ByteBuffer.wrap(data), Sha256.hex(data), bytes.length);
    }

    @Override
    public void deliverLog(String agentId, LogChunk chunk) throws TException {
        throw new InvalidRequest("fake coordinator: no log streaming");
    }

    @Override
    public io.drover.protocol.thrift.CertificateGrant join(io.drover.protocol.thrift.JoinRequest request) throws TException {
        throw new InvalidRequest("fake coordinator: no join");
    }

    @Override
    public io.drover.protocol.thrift.CertificateGrant renewCertificate(String csrPem) throws TException {
        throw new InvalidRequest("fake coordinator: no certificates");
    }

    /** What {@link #dependencyResults} answers for {@code jobId} (by default: no upstream jobs). */
    public synchronized void setUpstream(String jobId, List<io.drover.protocol.thrift.DependencyResult> upstream) {
        this.upstream.put(jobId, new ArrayList<>(upstream));
    }

    /** The upstream ends set with {@link #setUpstream}; empty for other jobs. */
    @Override
    public synchronized io.drover.protocol.thrift.DependencyResults dependencyResults(String jobId) throws InvalidRequest, Unavailable {
        checkAvailable();
        return new io.drover.protocol.thrift.DependencyResults(jobId, new ArrayList<>(upstream.getOrDefault(jobId, List.of())));
    }

    // ---------------------------------------------------------------- large results (issue 17)

    /** A result blob as uploaded so far; complete once its hash was verified. */
    private static final class Blob {
        final long size;
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        boolean complete;

        Blob(long size) {
            this.size = size;
        }
    }

    private final Map<String, Blob> blobs = new HashMap<>();
    private final Map<String, Integer> blobChunksServed = new HashMap<>();
    private int uploadRefusalsLeft;
    private int uploadCalls;

    /** The next {@code n} uploadResultChunk calls fail as an outage would (the chunk is not stored). */
    public synchronized void failNextUploads(int n) {
        uploadRefusalsLeft = n;
    }

    public synchronized int uploadCalls() {
        return uploadCalls;
    }

    /** A complete result blob's bytes. */
    /** Chunks of the result blob served by fetchResultBlob so far. */
    public synchronized int blobChunksServed(String sha256) {
        return blobChunksServed.getOrDefault(sha256, 0);
    }

    public synchronized Optional<byte[]> resultBlob(String sha256) {
        Blob b = blobs.get(sha256);
        return b == null || !b.complete ? Optional.empty() : Optional.of(b.bytes.toByteArray());
    }

    /** Stores a complete result blob (a reduce input); returns its hash. */
    public synchronized String putResultBlob(byte[] bytes) {
        String sha = Sha256.hex(bytes);
        Blob b = new Blob(bytes.length);
        b.bytes.writeBytes(bytes);
        b.complete = true;
        blobs.put(sha, b);
        return sha;
    }

    @Override
    public synchronized io.drover.protocol.thrift.ResultBlobStatus beginResultBlob(String sha256, long size)
            throws Unavailable {
        checkAvailable();
        Blob b = blobs.computeIfAbsent(sha256, k -> new Blob(size));
        return new io.drover.protocol.thrift.ResultBlobStatus(sha256, b.size, b.complete, b.bytes.size());
    }

    @Override
    public synchronized io.drover.protocol.thrift.ResultBlobStatus uploadResultChunk(io.drover.protocol.thrift.BlobChunk c)
            throws InvalidRequest, Unavailable {
        checkAvailable();
        uploadCalls++;
        if (uploadRefusalsLeft > 0) {
            uploadRefusalsLeft--;
            throw new Unavailable("test coordinator drops this chunk");
        }
        Blob b = blobs.get(c.getSha256());
        if (b == null) {
            throw new InvalidRequest("no upload of " + c.getSha256() + " was begun");
        }
        if (!Sha256.hex(c.getData()).equals(c.getChunkSha256())) {
            throw new InvalidRequest("chunk does not match its checksum");
        }
        if (c.getOffset() != b.bytes.size()) {
            throw new InvalidRequest("chunk offset " + c.getOffset() + " but " + b.bytes.size() + " bytes received");
        }
        b.bytes.writeBytes(c.getData());
        if (b.bytes.size() == b.size) {
            if (!Sha256.hex(b.bytes.toByteArray()).equals(c.getSha256())) {
                blobs.remove(c.getSha256());
                throw new InvalidRequest("result hash mismatch; the upload was discarded");
            }
            b.complete = true;
        }
        return new io.drover.protocol.thrift.ResultBlobStatus(c.getSha256(), b.size, b.complete, b.bytes.size());
    }

    @Override
    public synchronized io.drover.protocol.thrift.BlobChunk fetchResultBlob(String sha256, long offset, int maxBytes)
            throws InvalidRequest, Unavailable {
        checkAvailable();
        Blob b = blobs.get(sha256);
        if (b == null || !b.complete) {
            throw new InvalidRequest("unknown result blob " + sha256);
        }
        byte[] all = b.bytes.toByteArray();
        int from = (int) offset;
        byte[] piece = Arrays.copyOfRange(all, from, Math.min(all.length, from + Math.max(1, maxBytes)));
        blobChunksServed.merge(sha256, 1, Integer::sum);
        return new io.drover.protocol.thrift.BlobChunk(sha256, offset, ByteBuffer.wrap(piece), Sha256.hex(piece), all.length);
    }
}
