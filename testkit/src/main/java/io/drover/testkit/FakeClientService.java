package io.drover.testkit;

import io.drover.protocol.thrift.AgentView;
import io.drover.protocol.thrift.ArtifactChunk;
import io.drover.protocol.thrift.LogChunk;
import io.drover.protocol.thrift.LogStream;
import io.drover.protocol.thrift.ArtifactStatus;
import io.drover.protocol.thrift.ClientService;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.InvalidRequest;
import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.JobView;
import io.drover.protocol.thrift.NotLeader;
import io.drover.protocol.thrift.ScheduleRunView;
import io.drover.protocol.thrift.ScheduleSpec;
import io.drover.protocol.thrift.ScheduleView;
import io.drover.protocol.thrift.ServerInfo;
import io.drover.protocol.thrift.StoreStats;
import io.drover.protocol.thrift.SubmitReply;
import io.drover.protocol.thrift.droverConstants;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.thrift.TException;

/**
 * A recording in-memory coordinator with the client-facing semantics of the real one: resumable
 * checksummed uploads, idempotent submits, jobs whose views a test scripts. A follower
 * ({@link #follower}) answers {@code hello} with leader=false and every call with NotLeader.
 */
public final class FakeClientService implements ClientService.Iface {
    private final boolean leader;
    private final String leaderEndpoint;

    private final Map<String, byte[]> artifacts = new HashMap<>();
    private final Map<String, ByteArrayOutputStream> partial = new HashMap<>();
    private final List<Long> chunkOffsets = new ArrayList<>();
    private int failAfterChunk = -1;

    private final Map<String, String> jobsByKey = new HashMap<>();
    private final Map<String, JobSubmission> submissions = new LinkedHashMap<>();
    private final Map<String, Deque<JobView>> views = new HashMap<>();
    private final Map<String, AgentView> agents = new LinkedHashMap<>();
    private final Map<String, io.drover.protocol.thrift.QuotaView> quotas = new java.util.TreeMap<>();
    private String rejectSubmitsWith;
    private StoreStats storeStats; // null: answer like a release without the call
    private int calls;

    private FakeClientService(boolean leader, String leaderEndpoint) {
        this.leader = leader;
        this.leaderEndpoint = leaderEndpoint;
    }

    public static FakeClientService leader() {
        return new FakeClientService(true, null);
    }

    public static FakeClientService follower(String leaderEndpoint) {
        return new FakeClientService(false, leaderEndpoint);
    }

    // ---------------------------------------------------------------- test controls

    /** Pretends an earlier upload stored the first bytes of an artifact. */
    public synchronized void seedPartialUpload(String sha, byte[] prefix) {
        partial.computeIfAbsent(sha, k -> new ByteArrayOutputStream()).writeBytes(prefix);
    }

    /** The next accepted chunk is stored, then its reply is lost (the call fails). */
    public synchronized void loseReplyAfterNextChunk() {
        failAfterChunk = chunkOffsets.size();
    }

    public synchronized byte[] artifact(String sha) {
        return artifacts.get(sha);
    }

    public synchronized List<Long> chunkOffsets() {
        return List.copyOf(chunkOffsets);
    }

    public synchronized void rejectSubmitsWith(String message) {
        rejectSubmitsWith = message;
    }

    public synchronized List<JobSubmission> submissions() {
        return List.copyOf(submissions.values());
    }

    /** getJob returns these views in turn, the last one for ever after. */
    public synchronized void script(String jobId, JobView... sequence) {
        views.put(jobId, new ArrayDeque<>(List.of(sequence)));
    }

    /** What {@code storeStats} answers; until set it fails as an older coordinator would (unknown method). */
    public synchronized void storeStats(StoreStats stats) {
        this.storeStats = stats.deepCopy();
    }

    public synchronized void addAgent(AgentView agent) {
        agents.put(agent.getAgentId(), agent);
    }

    /** Client calls answered (hello excluded). */
    public synchronized int calls() {
        return calls;
    }

    // ---------------------------------------------------------------- ClientService.Iface

    @Override
    public synchronized ServerInfo hello(Hello hello) {
        ServerInfo info = new ServerInfo(droverConstants.PROTOCOL_VERSION, droverConstants.MIN_PROTOCOL_VERSION,
                leader ? "fake-leader" : "fake-follower", leader, 1);
        if (!leader && leaderEndpoint != null) {
            info.setLeaderEndpoint(leaderEndpoint);
        }
        return info;
    }

    @Override
    public synchronized ArtifactStatus beginUpload(String sha256, long size) throws TException {
        enter();
        if (artifacts.containsKey(sha256)) {
            return new ArtifactStatus(sha256, size, true, size);
        }
        ByteArrayOutputStream p = partial.get(sha256);
        return new ArtifactStatus(sha256, size, false, p == null ? 0 : p.size());
    }

    @Override
    public synchronized ArtifactStatus uploadChunk(ArtifactChunk chunk) throws TException {
        enter();
        ByteArrayOutputStream p = partial.computeIfAbsent(chunk.getSha256(), k -> new ByteArrayOutputStream());
        if (chunk.getOffset() != p.size()) {
            throw new InvalidRequest("chunk offset " + chunk.getOffset() + " but " + p.size() + " bytes received");
        }
        byte[] data = chunk.getData();
        if (!sha256(data).equals(chunk.getChunkSha256())) {
            throw new InvalidRequest("chunkSha256 does not match the chunk's data");
        }
        p.writeBytes(data);
        chunkOffsets.add(chunk.getOffset());
        ArtifactStatus reply = new ArtifactStatus(chunk.getSha256(), chunk.getTotalSize(), false, p.size());
        if (p.size() == chunk.getTotalSize()) {
            partial.remove(chunk.getSha256());
            if (!sha256(p.toByteArray()).equals(chunk.getSha256())) {
                throw new InvalidRequest("artifact sha256 mismatch: content hashes to " + sha256(p.toByteArray()));
            }
            artifacts.put(chunk.getSha256(), p.toByteArray());
            reply.setComplete(true);
        }
        if (failAfterChunk >= 0 && chunkOffsets.size() > failAfterChunk) {
            failAfterChunk = -1;
            throw new TException("reply lost (simulated)");
        }
        return reply;
    }

    @Override
    public synchronized SubmitReply submit(JobSubmission job) throws TException {
        enter();
        if (rejectSubmitsWith != null) {
            throw new InvalidRequest(rejectSubmitsWith);
        }
        if (job.isSetArtifactSha256() && !artifacts.containsKey(job.getArtifactSha256())) {
            throw new InvalidRequest("unknown artifact " + job.getArtifactSha256());
        }
        String existing = jobsByKey.get(job.getIdempotencyKey());
        if (existing != null) {
            return new SubmitReply(existing, true);
        }
        String id = "job-" + (submissions.size() + 1);
        jobsByKey.put(job.getIdempotencyKey(), id);
        submissions.put(id, job);
        views.computeIfAbsent(id, k -> new ArrayDeque<>(List.of(view(id, "RUNNING", job.getShardCount()))));
        return new SubmitReply(id, false);
    }

    @Override
    public synchronized JobView getJob(String jobId, boolean withTasks, boolean withShardResults) throws TException {
        enter();
        Deque<JobView> queue = views.get(jobId);
        if (queue == null) {
            throw new InvalidRequest("unknown job " + jobId);
        }
        JobView v = queue.size() > 1 ? queue.poll() : queue.peek();
        JobView copy = v.deepCopy();
        if (!withShardResults) {
            copy.unsetShardResults();
        }
        if (!withTasks) {
            copy.unsetTasks();
        }
        return copy;
    }

    @Override
    public synchronized List<JobView> listJobs(int limit) throws TException {
        enter();
        List<JobView> out = new ArrayList<>();
        for (Deque<JobView> q : views.values()) {
            if (out.size() < limit) {
                out.add(q.peek());
            }
        }
        return out;
    }

    @Override
    public synchronized JobView cancelJob(String jobId) throws TException {
        enter();
        Deque<JobView> queue = views.get(jobId);
        if (queue == null) {
            throw new InvalidRequest("unknown job " + jobId);
        }
        JobView v = queue.peekLast().deepCopy();
        v.setState("CANCELLED");
        views.put(jobId, new ArrayDeque<>(List.of(v)));
        return v;
    }

    @Override
    public synchronized StoreStats storeStats() throws TException {
        enter();
        if (storeStats == null) {
            throw new org.apache.thrift.TApplicationException(org.apache.thrift.TApplicationException.UNKNOWN_METHOD,
                    "Invalid method name: 'storeStats'");
        }
        return storeStats.deepCopy();
    }

    @Override
    public synchronized List<AgentView> listAgents() throws TException {
        enter();
        return new ArrayList<>(agents.values());
    }

    @Override
    public synchronized AgentView drainAgent(String agentId, boolean drain) throws TException {
        enter();
        AgentView a = agents.get(agentId);
        if (a == null) {
            throw new InvalidRequest("unknown agent " + agentId);
        }
        a.setState(drain ? "DRAINING" : "ALIVE");
        return a;
    }

    @Override
    public synchronized AgentView forgetAgent(String agentId) throws TException {
        enter();
        AgentView a = agents.remove(agentId);
        if (a == null) {
            throw new InvalidRequest("unknown agent " + agentId);
        }
        a.setState("LOST");
        return a;
    }

    // ---------------------------------------------------------------- helpers

    /** A job view with every field the wire requires. */
    public static JobView view(String jobId, String state, int tasks) {
        JobView v = new JobView();
        v.setJobId(jobId);
        v.setName("job");
        v.setOwner("tester");
        v.setState(state);
        v.setTotalTasks(tasks);
        v.setPending(state.equals("RUNNING") ? tasks : 0);
        v.setSucceeded(state.equals("SUCCEEDED") ? tasks : 0);
        v.setSubmittedAtMs(1_700_000_000_000L);
        return v;
    }

    public static JobView withResult(JobView v, byte[] result) {
        v.setResult(ByteBuffer.wrap(result));
        return v;
    }

    private void enter() throws NotLeader {
        calls++;
        if (!leader) {
            NotLeader e = new NotLeader("not the leader");
            if (leaderEndpoint != null) {
                e.setLeaderEndpoint(leaderEndpoint);
            }
            throw e;
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // Schedules are not served by this fake.

    @Override
    public ScheduleView addSchedule(ScheduleSpec spec) throws InvalidRequest {
        throw new InvalidRequest("fake coordinator does not serve schedules");
    }

    @Override
    public List<ScheduleView> listSchedules() throws InvalidRequest {
        throw new InvalidRequest("fake coordinator does not serve schedules");
    }

    @Override
    public ScheduleView getSchedule(String name) throws InvalidRequest {
        throw new InvalidRequest("fake coordinator does not serve schedules");
    }

    @Override
    public ScheduleView pauseSchedule(String name) throws InvalidRequest {
        throw new InvalidRequest("fake coordinator does not serve schedules");
    }

    @Override
    public ScheduleView resumeSchedule(String name) throws InvalidRequest {
        throw new InvalidRequest("fake coordinator does not serve schedules");
    }

    @Override
    public ScheduleView removeSchedule(String name) throws InvalidRequest {
        throw new InvalidRequest("fake coordinator does not serve schedules");
    }

    @Override
    public ScheduleRunView runScheduleNow(String name, String requestKey) throws InvalidRequest {
        throw new InvalidRequest("fake coordinator does not serve schedules");
    }

    @Override
    public LogChunk readLog(String jobId, int task, LogStream stream, long offset, int maxBytes, long waitMs)
            throws TException {
        throw new InvalidRequest("fake coordinator: no log streaming");
    }

    @Override
    public synchronized AgentView revokeAgent(String agentId) throws TException {
        enter();
        throw new io.drover.protocol.thrift.InvalidRequest("fake coordinator: no revocation");
    }

    @Override
    public synchronized List<io.drover.protocol.thrift.AuditEntry> readAudit(long sinceMs, int limit) throws TException {
        enter();
        return new ArrayList<>();
    }

    @Override
    public synchronized io.drover.protocol.thrift.TaskStreamView taskStream(String jobId, int buckets, int maxAttempts)
            throws TException {
        enter();
        return new io.drover.protocol.thrift.TaskStreamView().setJobId(jobId).setBuckets(0).setLanes(new ArrayList<>())
                .setTotalAttempts(0);
    }

    /** Workflows: submits each job in order (names are not resolved to ids; enough for client-side tests). */
    @Override
    public synchronized io.drover.protocol.thrift.WorkflowReply workflowSubmit(io.drover.protocol.thrift.WorkflowSubmission workflow)
            throws TException {
        enter();
        List<io.drover.protocol.thrift.WorkflowJobId> ids = new ArrayList<>();
        for (io.drover.protocol.thrift.WorkflowJob j : workflow.getJobs()) {
            ids.add(new io.drover.protocol.thrift.WorkflowJobId(j.getName(), submit(j.getJob()).getJobId()));
        }
        return new io.drover.protocol.thrift.WorkflowReply(ids, false);
    }

    /** A page of the scripted view's tasks (as getJob would show them now), filtered and cut as the leader does. */
    @Override
    public synchronized io.drover.protocol.thrift.TaskPageView taskPage(io.drover.protocol.thrift.TaskPageQuery q)
            throws TException {
        enter();
        Deque<JobView> queue = views.get(q.getJobId());
        if (queue == null) {
            throw new InvalidRequest("unknown job " + q.getJobId());
        }
        JobView v = queue.peek();
        List<io.drover.protocol.thrift.TaskView> matched = (v.isSetTasks() ? v.getTasks() : List.<io.drover.protocol.thrift.TaskView>of())
                .stream().filter(t -> !q.isSetState() || t.getState().equals(q.getState())).toList();
        List<io.drover.protocol.thrift.TaskView> page = matched.stream().skip(q.getOffset()).limit(q.getLimit())
                .map(io.drover.protocol.thrift.TaskView::deepCopy).toList();
        return new io.drover.protocol.thrift.TaskPageView().setJobId(q.getJobId()).setMatched(matched.size())
                .setOffset(q.getOffset()).setTasks(new ArrayList<>(page));
    }

    /** Quota entries kept as set (no running counts: the fake runs nothing). */
    @Override
    public synchronized io.drover.protocol.thrift.QuotaView setQuota(io.drover.protocol.thrift.QuotaSpec spec)
            throws TException {
        enter();
        io.drover.protocol.thrift.QuotaView old = quotas.get(spec.getOwner());
        io.drover.protocol.thrift.QuotaView v = new io.drover.protocol.thrift.QuotaView().setOwner(spec.getOwner())
                .setMaxRunning(spec.isSetMaxRunning() ? spec.getMaxRunning() : old == null ? -1 : old.getMaxRunning())
                .setWeight(spec.isSetWeight() ? spec.getWeight() : old == null ? 1 : old.getWeight())
                .setExplicit(true).setRunning(0).setReady(0);
        quotas.put(spec.getOwner(), v);
        return v.deepCopy();
    }

    @Override
    public synchronized List<io.drover.protocol.thrift.QuotaView> listQuotas() throws TException {
        enter();
        return new ArrayList<>(quotas.values().stream().map(io.drover.protocol.thrift.QuotaView::deepCopy).toList());
    }

    @Override
    public synchronized io.drover.protocol.thrift.QuotaView removeQuota(String owner) throws TException {
        enter();
        io.drover.protocol.thrift.QuotaView v = quotas.remove(owner);
        if (v == null) {
            throw new InvalidRequest("no quota entry for owner " + owner);
        }
        return v;
    }

    private final Map<String, byte[]> resultBlobs = new HashMap<>();

    /** A result blob clients may read (a job's JobView names it). */
    public synchronized String putResultBlob(byte[] bytes) {
        String sha = io.drover.protocol.Sha256.hex(bytes);
        resultBlobs.put(sha, bytes.clone());
        return sha;
    }

    @Override
    public synchronized io.drover.protocol.thrift.BlobChunk readResultBlob(String jobId, String sha256, long offset,
                                                                         int maxBytes) throws TException {
        enter();
        byte[] all = resultBlobs.get(sha256);
        if (all == null) {
            throw new InvalidRequest("job " + jobId + " has no result blob " + sha256);
        }
        int from = (int) offset;
        byte[] piece = java.util.Arrays.copyOfRange(all, from, Math.min(all.length, from + Math.max(1, maxBytes)));
        return new io.drover.protocol.thrift.BlobChunk(sha256, offset, java.nio.ByteBuffer.wrap(piece),
                io.drover.protocol.Sha256.hex(piece), all.length);
    }
}
