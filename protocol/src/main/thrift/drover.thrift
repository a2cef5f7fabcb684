/*
 * Drover wire protocol: two services on the coordinator's one port, split by caller:
 * AgentService (agents) and ClientService (SDK, CLI, dashboard).
 *
 * Both are served multiplexed (TMultiplexedProtocol, service names "AgentService" and
 * "ClientService"). Releases before the split sent one service, "Coordinator", without a
 * name prefix; the coordinator still routes an unprefixed call to the service that owns the
 * method, so method names stay unique across the services (hello excepted: both answer it
 * alike) and a method never changes its name, argument ids or types when it moves.
 *
 * Compatibility rules (adjacent releases must interoperate):
 *  - never renumber or retype a field; add new fields as optional with a new id;
 *  - PROTOCOL_VERSION goes up when a release needs a new field to be understood;
 *    the coordinator accepts peers in [MIN_PROTOCOL_VERSION, PROTOCOL_VERSION].
 * Regenerate the Java code with protocol/thrift-gen.sh (Debian's thrift-compiler 0.17.0).
 */
namespace java io.drover.protocol.thrift

const i32 PROTOCOL_VERSION = 1
const i32 MIN_PROTOCOL_VERSION = 1

/** The called coordinator is a standby; leaderEndpoint names the leader when known ("host:port"). */
exception NotLeader {
  1: string message
  2: optional string leaderEndpoint
}

/** The request is malformed or refers to something that does not exist; message names the field. */
exception InvalidRequest {
  1: string message
}

/** The coordinator cannot serve right now (ZooKeeper unreachable, recovering); retry later. */
exception Unavailable {
  1: string message
}

/**
 * The caller may not make this call: it presented no credential, a bad one, or one whose role lacks
 * the permission named (for example "jobs.cancel.others"). Not retried.
 */
exception AccessDenied {
  1: string message
  2: optional string permission
}

/** Peer protocol version outside the accepted range. */
exception IncompatibleVersion {
  1: string message
  2: i32 minVersion
  3: i32 maxVersion
}

// ---------------------------------------------------------------- handshake

struct Hello {
  1: i32 protocolVersion
  2: string peerName          // agent id or client name, for logs
  3: optional string token    // a client's access token (drover token create); agents are known by their certificate
}

struct ServerInfo {
  1: i32 protocolVersion
  2: i32 minProtocolVersion
  3: string coordinatorId
  4: bool leader
  5: optional string leaderEndpoint
  6: i64 epoch
}

// ---------------------------------------------------------------- artifacts

struct ArtifactStatus {
  1: string sha256
  2: i64 size
  3: bool complete            // true: already stored, nothing to upload
  4: i64 bytesReceived        // resume point for an interrupted upload
}

/** One checksummed piece of an artifact. chunkSha256 covers data only. */
struct ArtifactChunk {
  1: string sha256
  2: i64 offset
  3: binary data
  4: string chunkSha256
  5: i64 totalSize
}

// ---------------------------------------------------------------- large results (issue 17)

/**
 * A task result too large to travel inline: content-addressed (SHA-256 of the encoded value) and kept
 * in the coordinator's store like an artifact. Committed facts carry only this reference.
 */
struct ResultBlobRef {
  1: string sha256
  2: i64 size
}

/** Upload state of a result blob: as ArtifactStatus, bytesReceived is where to resume. */
struct ResultBlobStatus {
  1: string sha256
  2: i64 size
  3: bool complete
  4: i64 bytesReceived
}

/** One checksummed piece of a result blob; chunkSha256 covers data only. */
struct BlobChunk {
  1: string sha256
  2: i64 offset
  3: binary data
  4: string chunkSha256
  5: i64 totalSize
}

// ---------------------------------------------------------------- jobs

/** Where a JVM task runs on the agent. */
enum JvmIsolation {
  WORKER = 1,                 // a warm child worker JVM per job artifact (default)
  IN_AGENT = 2                // inside the agent's JVM: trusted short tasks only
}

enum JobKind {
  JVM = 1,                    // entry class from an uploaded jar
  PROCESS = 2                 // command line run per shard
}

/** How a placement constraint compares an agent's label. */
enum ConstraintOp {
  EQ = 1,                     // one value
  NE = 2,                     // one value; an agent without the label passes
  IN = 3,                     // 1..64 values
  NOT_IN = 4,                 // 1..64 values; an agent without the label passes
  EXISTS = 5,                 // no values
  NOT_EXISTS = 6              // no values
}

/** One constraint over agent labels; label and values are 1..128 of [A-Za-z0-9._/:@+-]. */
struct PlacementConstraint {
  1: string label
  2: ConstraintOp op
  3: optional list<string> values
}

/** A job's placement settings, as the job view shows them. */
struct PlacementSpec {
  1: list<PlacementConstraint> constraints   // besides requiredLabels (each of those is an EQ)
  2: optional string spreadLabel
}

/** One requirement that agents taking work fail. kind: CONSTRAINT, SLOTS, MEMORY. */
struct PlacementBlocker {
  1: string kind
  2: optional PlacementConstraint constraint  // CONSTRAINT
  3: i32 agentsFailing
  4: i64 needed                              // SLOTS, MEMORY: what a task asks
  5: i64 mostOffered                         // SLOTS, MEMORY: the most any agent taking work offers
}

/** Why a job's tasks wait: no agent taking work (ALIVE, not draining) could ever run one. */
struct PlacementWait {
  1: i32 agentsTakingWork
  2: list<PlacementBlocker> blockers
  3: string summary                          // the same, worded for people
}

/** What an agent tells the leader for placement when it registers. */
struct PlacementReport {
  1: optional list<string> cachedArtifacts   // sha256 of artifacts it holds, newest last, at most 256
  2: optional i64 memoryMb                   // memory it offers tasks; absent or 0: not told
}

struct JobSubmission {
  1: string name
  2: string owner
  3: string idempotencyKey    // same key => same job, never two
  4: JobKind kind
  5: optional string artifactSha256
  6: optional string entryClass
  7: optional list<string> command
  8: i32 shardCount
  9: optional list<string> shardParameters   // when set, its size is the shard count
  10: list<string> jobArguments
  11: i32 slotsPerTask
  12: i32 maxAttempts
  13: i64 taskTimeoutMs       // 0 = none
  14: bool reduce             // run the job's reduce step as a final task
  15: i32 priority            // higher first
  16: map<string,string> requiredLabels
  17: i64 memoryMb            // 0 = agent default
  18: optional map<string,string> environment  // PROCESS: extra environment per task
  19: optional string workingDirectory         // PROCESS: relative to the task's directory on the agent
  20: optional JvmIsolation isolation          // JVM: default WORKER
  21: optional i64 lostAfterMs  // overrides the agent pool's: how long a silent agent's attempts are left alone
  22: optional map<string,string> secretEnvironment  // PROCESS: like environment, but encrypted at rest and never shown
  23: optional list<DependencySpec> dependencies     // jobs that must end first; the job WAITs until then (issue 17)
  24: optional string onUpstreamFailure              // "FAIL" (default) or "SKIP": when a dependency needed to succeed did not
  25: optional list<PlacementConstraint> constraints  // all must hold on an agent's labels (besides requiredLabels), at most 32
  26: optional string spreadLabel             // the leader balances the job's running tasks across this label's values
  27: optional bool backups                   // straggler backups allowed; absent: on for JVM jobs, off for PROCESS jobs
}

/** One dependency of a job: the upstream job (inside a workflow: the name of one of its jobs) and what it must do. */
struct DependencySpec {
  1: string jobId
  2: string condition         // "SUCCEEDED" (default) or "FINISHED" (any end)
}

/** A dependency as a job view shows it. */
struct DependencyView {
  1: string jobId
  2: string condition
  3: optional string name     // absent when the upstream job is no longer known
  4: optional string state    // the upstream job's state now
}

/** One job of a workflow: its name inside the workflow (other jobs' dependencies name it) and its spec. */
struct WorkflowJob {
  1: string name
  2: JobSubmission job
}

/** Jobs submitted together: all are accepted, or none. Dependencies name jobs of the workflow or earlier job ids. */
struct WorkflowSubmission {
  1: list<WorkflowJob> jobs
}

struct WorkflowJobId {
  1: string name
  2: string jobId
}

struct WorkflowReply {
  1: list<WorkflowJobId> jobs  // upstream jobs first
  2: bool duplicate            // every job's idempotency key was seen before: these are the existing jobs
}

/** An upstream job's end and result, as a dependant's task is handed them. */
struct DependencyResult {
  1: string jobId
  2: optional string name
  3: optional string state     // absent when the upstream job is no longer known
  4: optional binary result    // reduce output or single-shard result; absent for jobs with several shards and no reduce
  5: optional ResultBlobRef resultBlob  // the result kept as a blob (4 absent): fetchResultBlob, allowed to an agent holding a task of the dependant
}

struct DependencyResults {
  1: string jobId
  2: list<DependencyResult> upstream
}

struct SubmitReply {
  1: string jobId
  2: bool duplicate           // the idempotency key was seen before: this is the existing job
}

struct TaskView {
  1: i32 task                 // shard index; the reduce task is index shardCount
  2: string state
  3: i32 attempts
  4: optional string agentId  // running it, else its newest attempt's (soft: may be absent after a leader change)
  5: optional string error
  6: optional i32 backups     // straggler backups the leader started for the task (soft: this leader's)
  7: optional bool backupWon  // a backup's result was the one committed
}

struct JobView {
  1: string jobId
  2: string name
  3: string owner
  4: string state
  5: i32 totalTasks
  6: i32 succeeded
  7: i32 failed
  8: i32 running
  9: i32 pending
  10: optional binary result  // reduce output, or the single shard's result
  11: optional string error
  12: i64 submittedAtMs
  13: optional i64 finishedAtMs
  14: optional list<TaskView> tasks
  15: bool reduce
  16: optional list<binary> shardResults  // when asked and the job has no reduce step
  17: optional string resultCodec          // the ResultCodec name the job's code declared (JVM jobs, once a task succeeded)
  18: optional list<DependencyView> dependencies  // what a WAITING job waits for, and every other dependency (issue 17)
  19: optional string onUpstreamFailure          // "FAIL" or "SKIP"; absent for jobs without dependencies
  20: optional PlacementWait waiting       // set while no agent taking work could ever run one of its tasks
  21: optional PlacementSpec placement     // its constraints and spread label, when it has any
  22: optional i32 backupsStarted          // straggler backups started for its tasks (soft: this leader's count); absent when backups are off
  23: optional i32 backupsWon              // of those, how many committed first
  24: optional QuotaWait queueWait         // why its ready tasks wait: QUOTA, SHARE or NO_SLOT (issue 17)
  26: optional ResultBlobRef resultBlob     // the result, when too large for field 10: read it with readResultBlob
  27: optional map<i32,ResultBlobRef> shardResultBlobs  // shard results kept as blobs (their entry in 16 is empty)
}

struct AgentView {
  1: string agentId
  2: string host
  3: string state             // ALIVE, SUSPECT, LOST, DRAINING
  4: i32 slots
  5: i32 running
  6: i64 lastHeartbeatMs
  7: map<string,string> labels
  8: i64 completedTasks
  9: optional i64 silentForMs         // since the agent's last heartbeat, when it is not connected
  10: optional string pool            // the pool whose disconnect policy applies
  11: optional string pendingAction   // what happens to its work next, per policy (readable)
  12: optional string softwareVersion // the release it runs, as it registered (absent until it registers with this leader)
}

// ---------------------------------------------------------------- agents

struct AgentRegistration {
  1: string agentId
  2: string host
  3: i32 slots
  4: map<string,string> labels
  5: i32 protocolVersion
  6: string softwareVersion
  // Random, kept in the agent's work dir: the same agent (a restart) sends the same one, so the
  // leader tells it from another agent started with the same id. Absent from older agents.
  7: optional string instanceId
  8: optional PlacementReport placement      // cached artifacts and memory; absent from older agents
}

/** What the agent tells the coordinator it is running right now. */
struct RunningAttempt {
  1: i64 attemptId
  2: string jobId
  3: i32 task
  // Accepted beyond the agent's slots (queue-ahead) and not started yet: not a straggler while it
  // waits. Absent (older agents): no word either way, the attempt counts from its assignment.
  4: optional bool queued
}

enum Outcome {
  SUCCEEDED = 1,
  FAILED = 2,                 // threw / exited non-zero: retried per policy
  TIMED_OUT = 3,
  CANCELLED = 4,
  REJECTED = 5                // the agent could not start it (bad artifact, unknown class): not retried
}

struct TaskResult {
  1: i64 attemptId
  2: string jobId
  3: i32 task
  4: Outcome outcome
  5: optional binary value
  6: optional string error
  7: i64 runMillis
  // SUCCEEDED JVM tasks: the name of the job's ResultCodec (Codecs' names, else the codec's class
  // name), so clients print the result in the codec the job declared. Absent from older agents.
  8: optional string resultCodec
  // SUCCEEDED with a result over the inline limit: uploaded first (uploadResultChunk), value unset.
  9: optional ResultBlobRef resultBlob
}

struct HeartbeatRequest {
  1: string agentId
  2: list<TaskResult> results
  3: list<RunningAttempt> running
  4: i32 freeSlots
  5: bool draining
  6: i64 maxWaitMs            // long poll: reply at the latest after this
  7: i32 protocolVersion
  // As in AgentRegistration: lets the leader refuse a heartbeat from another agent using this id
  // (e.g. one that went on heartbeating after a network split without registering). Absent from older agents.
  8: optional string instanceId
}

struct Assignment {
  1: i64 attemptId
  2: string jobId
  3: i32 task
  4: optional string shardParameter
  5: bool reduceTask
  6: optional list<binary> reduceInputs   // shard results in shard order, for the reduce task
  7: optional map<i32,ResultBlobRef> reduceInputBlobs  // shards whose result is a blob (entry in 6 empty): fetchResultBlob
}

struct HeartbeatReply {
  1: list<Assignment> assignments
  2: list<i64> cancelAttempts
  3: list<i64> ackedAttempts  // results the agent may forget now
  4: bool reRegister          // the coordinator does not know this agent (e.g. after failover)
  5: optional list<LogRequest> logRequests
  6: optional i64 offlineStopAfterMs      // the agent's pool policy: stop tasks after this long without contact; 0 = keep running
}

/** The coordinator asks an agent for a piece of a task's captured output (agents are outbound-only). */
struct LogRequest {
  1: i64 requestId
  2: string jobId
  3: i32 task
  4: i64 attemptId            // 0 = the newest attempt the agent has
  5: LogStream stream
  6: i64 offset
  7: i32 maxBytes
}

enum LogStream {
  STDOUT = 1,
  STDERR = 2
}

/** A piece of captured task output. */
struct LogChunk {
  1: i64 requestId            // 0 when not an answer to a LogRequest
  2: string jobId
  3: i32 task
  4: i64 attemptId
  5: LogStream stream
  6: i64 offset
  7: binary data
  8: bool complete            // the attempt has ended and data reaches the end of its output
  9: i64 size                 // the output's size so far on the agent
  10: optional string error   // no such output on the agent (or it was removed by retention)
  11: bool truncated          // the output hit the capture cap; later bytes were dropped
}

/** Everything an agent needs to run a job's tasks; fetched once per job and cached. */
struct JobDescriptor {
  1: string jobId
  2: JobKind kind
  3: optional string artifactSha256
  4: optional i64 artifactSize
  5: optional string entryClass
  6: optional list<string> command
  7: list<string> jobArguments
  8: i32 shardCount
  9: i64 taskTimeoutMs
  10: i64 memoryMb
  11: optional map<string,string> environment
  12: optional string workingDirectory
  13: optional JvmIsolation isolation
}

// ---------------------------------------------------------------- schedules

/** What a leader does with fire times that passed while no leader ran the schedule, or it was paused. */
enum MisfirePolicy {
  FIRE_ONCE_NOW = 1,          // one run now, for the latest missed time
  SKIP = 2,                   // no run; the skip is recorded in the history
  FIRE_ALL = 3                // one run per missed time, the latest maxCatchUp of them
}

/** What a fire does while an earlier run of the same schedule still runs. */
enum OverlapPolicy {
  ALLOW = 1,                  // start the new run anyway
  FORBID = 2,                 // skip the fire and record it
  REPLACE = 3                 // cancel the earlier run, then start the new one
}

/** A cron schedule: every fire starts one run of the job template, or of the whole workflow. */
struct ScheduleSpec {
  1: string name              // the schedule's id: 1..100 of [A-Za-z0-9._-]
  2: string cron              // Quartz cron, seconds first: "0 */5 * * * ?"
  3: string timeZone          // IANA zone id, e.g. "Europe/Berlin"; fire times follow its DST rules
  4: JobSubmission job        // run template; idempotencyKey is ignored (each fire derives its own)
  5: MisfirePolicy misfire
  6: i32 maxCatchUp           // FIRE_ALL: at most this many missed runs (1..1000)
  7: OverlapPolicy overlap
  8: bool paused
  // When set, every fire submits all these jobs at once (all or none; dependencies name jobs of the
  // workflow only; each job's idempotencyKey is ignored) and job (4) must be absent.
  9: optional WorkflowSubmission workflow
}

/** One fire of a schedule. status: STARTED, MANUAL (run-now), SKIPPED_OVERLAP, SKIPPED_MISFIRE. */
struct ScheduleRunView {
  1: i64 scheduledAtMs        // the cron time the run is for (the request time for MANUAL)
  2: i64 firedAtMs            // when the leader handled the fire
  3: string status
  4: optional string jobId
  5: optional string jobState // the run's job state, when known
  6: optional i64 finishedAtMs
  7: optional string note
  8: optional list<WorkflowJobId> workflowJobs  // a workflow run's jobs, upstream first (jobId is then absent)
}

struct ScheduleView {
  1: ScheduleSpec spec
  2: i64 createdAtMs
  3: i64 lastFireAtMs         // the latest cron time handled (fired or skipped); createdAtMs before the first
  4: list<ScheduleRunView> history       // newest first, bounded
  5: list<i64> nextFireTimesMs           // upcoming cron times; empty while paused
}

/**
 * What the coordinator keeps in ZooKeeper, as the leader measured it at its latest artifact sweep
 * (about once a minute). A figure is -1 when the coordinator could not tell.
 */
struct StoreStats {
  1: i64 factLogZnodes        // znodes of the fact log and its snapshots
  2: i64 factLogBytes         // their data, summed
  3: i32 completeArtifacts
  4: i64 completeArtifactBytes
  5: i32 uploadsInProgress
  6: i64 uploadBytes          // received so far by the unfinished uploads
  7: i64 measuredAtMs
}

// ---------------------------------------------------------------- security

/** An agent's first contact: a join token, and a signing request for a key pair it made itself. */
struct JoinRequest {
  1: string token
  2: string agentId
  3: string csrPem            // PKCS#10, PEM; the private key never leaves the agent's host
}

/** A certificate the cluster CA signed for an agent, and the CA certificate to trust. */
struct CertificateGrant {
  1: string certificatePem
  2: string caPem
  3: i64 notAfterMs
  4: string agentId
  5: string pool
}

/** One mutating call, as the leader's audit log keeps it (a durable fact). */
struct AuditEntry {
  1: i64 atMs
  2: string who               // the token's identity or "agent:<id>"
  3: string role
  4: string action            // e.g. "cancelJob"
  5: string target            // e.g. the job id
  6: string remote            // the caller's address
  7: string outcome           // "ok", or why it was refused
}

/** What agents call. */
service AgentService {
  ServerInfo hello(1: Hello hello) throws (1: IncompatibleVersion incompatible)

  void registerAgent(1: AgentRegistration registration)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: IncompatibleVersion incompatible, 4: Unavailable unavailable, 5: AccessDenied denied)
  /** Long poll: returns at once when there is work, acks or cancellations, else within maxWaitMs. */
  HeartbeatReply heartbeat(1: HeartbeatRequest request)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  JobDescriptor describeJob(1: string jobId)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  ArtifactChunk fetchArtifact(1: string sha256, 2: i64 offset, 3: i32 maxBytes)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  /** An agent answers a LogRequest it found in a heartbeat reply. */
  void deliverLog(1: string agentId, 2: LogChunk chunk)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  /** Joins with a join token over TLS without a client certificate; the grant's certificate is the agent's identity. */
  CertificateGrant join(1: JoinRequest request)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  /** A fresh certificate for the calling agent (same id and pool) for a new signing request; asked well before expiry. */
  CertificateGrant renewCertificate(1: string csrPem)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  /** The ends and results of the jobs a job depends on, for its tasks (issue 17; older coordinators lack it). */
  DependencyResults dependencyResults(1: string jobId)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  // ---- large results (issue 17; older coordinators lack them: results stay capped at the inline limit)
  /** Starts or resumes the upload of a result blob of `size` bytes; a complete one needs nothing more. */
  ResultBlobStatus beginResultBlob(1: string sha256, 2: i64 size)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  /** Appends a chunk at the blob's resume point; the last one verifies the whole blob. */
  ResultBlobStatus uploadResultChunk(1: BlobChunk chunk)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  /** A piece of a complete result blob (a reduce task's input). */
  BlobChunk fetchResultBlob(1: string sha256, 2: i64 offset, 3: i32 maxBytes)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
}

/** What clients (SDK, CLI, dashboard) call. */
service ClientService {
  ServerInfo hello(1: Hello hello) throws (1: IncompatibleVersion incompatible)

  ArtifactStatus beginUpload(1: string sha256, 2: i64 size)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  ArtifactStatus uploadChunk(1: ArtifactChunk chunk)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  SubmitReply submit(1: JobSubmission job)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  JobView getJob(1: string jobId, 2: bool withTasks, 3: bool withShardResults)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  list<JobView> listJobs(1: i32 limit)
      throws (1: NotLeader notLeader, 2: Unavailable unavailable, 3: AccessDenied denied)
  JobView cancelJob(1: string jobId)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  /** A task's captured output from offset, fetched from its agent through the coordinator; waits at most waitMs. */
  LogChunk readLog(1: string jobId, 2: i32 task, 3: LogStream stream, 4: i64 offset, 5: i32 maxBytes, 6: i64 waitMs)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  list<AgentView> listAgents()
      throws (1: NotLeader notLeader, 2: Unavailable unavailable, 3: AccessDenied denied)
  AgentView drainAgent(1: string agentId, 2: bool drain)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  /** Decommission: the coordinator forgets the agent; its running attempts (if any) run elsewhere. */
  AgentView forgetAgent(1: string agentId)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)

  // ---- schedules (names are ids)
  /** Idempotent: adding a schedule identical to an existing one returns it. */
  ScheduleView addSchedule(1: ScheduleSpec spec)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  list<ScheduleView> listSchedules()
      throws (1: NotLeader notLeader, 2: Unavailable unavailable, 3: AccessDenied denied)
  ScheduleView getSchedule(1: string name)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  ScheduleView pauseSchedule(1: string name)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  /** Fire times missed while paused are handled by the schedule's misfire policy. */
  ScheduleView resumeSchedule(1: string name)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  /** Stops future fires; runs already started go on. Returns the schedule as it was. */
  ScheduleView removeSchedule(1: string name)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  /** One run now, outside the cron times; the overlap policy applies. Same requestKey, same run. */
  ScheduleRunView runScheduleNow(1: string name, 2: string requestKey)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)

  /** Sizes of the coordinator's ZooKeeper data (fact log, artifacts); added after the split, older coordinators lack it. */
  StoreStats storeStats()
      throws (1: NotLeader notLeader, 2: Unavailable unavailable, 3: AccessDenied denied)

  // ---- security (added with TLS and tokens)
  /** Refuses the agent's certificate from now on, closes its connections and re-queues its work as for a lost agent. */
  AgentView revokeAgent(1: string agentId)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  /** Mutating calls since sinceMs, oldest first, at most limit. */
  list<AuditEntry> readAudit(1: i64 sinceMs, 2: i32 limit)
      throws (1: NotLeader notLeader, 2: Unavailable unavailable, 3: AccessDenied denied)

  // ---- task stream (issue 14; older coordinators lack it)
  /**
   * A job's attempts as the leader saw them, for the console's timeline: lanes (agent and slot) by at most
   * `buckets` time buckets (0 = 200), plus each attempt when the job has at most `maxAttempts` (0..2000).
   * Soft state, lost on failover: a display aid, not a durable fact.
   */
  TaskStreamView taskStream(1: string jobId, 2: i32 buckets, 3: i32 maxAttempts)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  // ---- workflows (issue 17; older coordinators lack it)
  /** Submits a DAG of jobs at once: every job is accepted, or none (unknown names and cycles are refused). */
  WorkflowReply workflowSubmit(1: WorkflowSubmission workflow)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)

  // ---- task pages (issue 14; older coordinators lack it: UNKNOWN_METHOD, use getJob with tasks)
  /** One page of a job's tasks, optionally of one state; the leader never ships every task for it. */
  TaskPageView taskPage(1: TaskPageQuery query)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)

  // ---- quotas and fair share (issue 17; older coordinators lack it: UNKNOWN_METHOD)
  /** Sets an owner's quota entry (owner "*": the default for owners without one); unset fields keep their value. */
  QuotaView setQuota(1: QuotaSpec spec)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
  /** Every quota entry, and every owner with running or ready tasks under the default. */
  list<QuotaView> listQuotas()
      throws (1: NotLeader notLeader, 2: Unavailable unavailable, 3: AccessDenied denied)
  /** Removes an owner's entry (the default applies to it again); returns the entry removed. */
  QuotaView removeQuota(1: string owner)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)

  // ---- large results (issue 17; older coordinators lack it)
  /** A piece of a job's result blob (JobView.resultBlob / shardResultBlobs), at most maxBytes from offset. */
  BlobChunk readResultBlob(1: string jobId, 2: string sha256, 3: i64 offset, 4: i32 maxBytes)
      throws (1: NotLeader notLeader, 2: InvalidRequest invalid, 3: Unavailable unavailable, 4: AccessDenied denied)
}

// ---------------------------------------------------------------- quotas and fair share (issue 17)

struct QuotaSpec {
  1: optional string owner        // an owner (token subject), or "*" for the default
  2: optional i32 maxRunning      // running tasks across the owner's jobs; -1: no cap; 0: none start
  3: optional i32 weight          // fair-share weight, 1..10000
}

struct QuotaView {
  1: optional string owner
  2: optional i32 maxRunning      // -1: no cap
  3: optional i32 weight
  4: optional bool explicit       // the owner has an entry of its own (else the default applies)
  5: optional i32 running         // its running tasks now
  6: optional i32 ready           // its tasks ready to start now (0 in answers to set and remove)
}

/** Why a job's ready tasks wait although some agent could run them. */
struct QuotaWait {
  1: optional string reason       // QUOTA (owner at its cap), SHARE (others are further below their share), NO_SLOT
  2: optional string owner
  3: optional i32 running         // the owner's running tasks
  4: optional i32 maxRunning      // its cap, -1: none
  5: optional i32 weight
  6: optional i32 ownersAhead     // SHARE: owners with ready work further below their share
  7: optional string summary      // the same, worded for people
}

// ---------------------------------------------------------------- task pages (issue 14)

struct TaskPageQuery {
  1: optional string jobId
  2: optional i32 offset      // >= 0, among the tasks that match
  3: optional i32 limit       // 1..1000
  4: optional string state    // PENDING, RUNNING, BACKOFF, SUCCEEDED, FAILED or CANCELLED; absent: every task
}

struct TaskPageView {
  1: optional string jobId
  2: optional i32 matched     // how many tasks match (all the job's when no state was asked for)
  3: optional i32 offset
  4: optional list<TaskView> tasks
}

// ---------------------------------------------------------------- task stream (issue 14)

/** One attempt of a task as the leader saw it. */
struct StreamAttempt {
  1: optional i32 task
  2: optional i32 attempt     // 1 for a task's first attempt this leader saw
  3: optional string agentId
  4: optional i32 slot        // the agent's slot as the leader numbered them; -1 when not known
  5: optional i64 startMs
  6: optional i64 endMs       // absent while it runs
  7: optional string outcome  // RUNNING, SUCCEEDED, FAILED, RETRIED, CANCELLED, LOST
}

/** One agent slot's row of the timeline: per time bucket, the attempts that ran in it, by outcome (unset: none). */
struct StreamLane {
  1: optional string agentId
  2: optional i32 slot
  3: optional list<i32> running
  4: optional list<i32> succeeded
  5: optional list<i32> failed
  6: optional list<i32> retried
  7: optional list<i32> cancelled
  8: optional list<i32> lost
}

struct TaskStreamView {
  1: optional string jobId
  2: optional i64 fromMs      // the first bucket starts here
  3: optional i64 bucketMs
  4: optional i32 buckets
  5: optional list<StreamLane> lanes
  6: optional i32 totalAttempts
  7: optional list<StreamAttempt> attempts  // absent when the job has more than maxAttempts
  8: optional bool truncated  // the leader dropped some of this job's attempts to stay within its bound
  9: optional i64 generatedAtMs
}
