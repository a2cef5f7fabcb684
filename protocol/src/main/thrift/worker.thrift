/*
 * Agent <-> worker JVM protocol. A worker is a child JVM the agent starts to run JVM tasks of one
 * job artifact, one task at a time. It connects back to the agent on loopback, sends a WorkerHello
 * carrying the one-time token it got in its environment, and then serves WorkerService calls
 * from the agent on that connection (framed transport, compact protocol), or with protocol 2 the
 * TaskBatch / DoneBatch frames below.
 *
 * Private to one agent and the workers it started from the same jar, so both sides always run
 * the same version; the version field still guards against a stale classpath.
 * Rules as for drover.thrift: only add optional fields with new ids.
 */
namespace java io.drover.protocol.worker

/**
 * 1: one synchronous WorkerService.run call per task.
 * 2: pipelined: after the hello the agent sends TaskBatch frames without waiting and the worker
 *    answers DoneBatch frames, running the tasks one at a time in the order they came.
 * 3: as 2, and a job's fields travel once per link: TaskBatch.jobs carries job templates, and a
 *    RunTask naming one (jobRef) leaves out the fields the template gives. The agent sends templates
 *    only to a worker whose hello says 3 or more; an older one gets whole RunTasks as before.
 */
const i32 WORKER_PROTOCOL_VERSION = 3

/** Protocol 3: how many job templates a worker keeps (RunTask.jobRef is 0 to this, exclusive). */
const i32 WORKER_JOB_TEMPLATES = 64

/** The worker's first message on its connection, before any call. */
struct WorkerHello {
  1: string token              // from DROVER_WORKER_TOKEN: proves the agent started this process
  2: i64 pid
  3: i32 protocolVersion
}

/** One attempt of a shard or reduce task of a JVM job. */
struct RunTask {
  1: string jobId
  2: i64 attemptId
  3: i32 task                  // shard index; the reduce task is index shardCount
  4: i32 shardCount
  5: optional string shardParameter
  6: list<string> jobArguments
  7: bool reduceTask
  8: list<binary> reduceInputs  // reduce task: the shard results, in shard order
  9: string artifactSha256
  10: string artifactPath      // the job jar, fetched and verified by the agent
  11: string entryClass
  12: string stdoutPath        // the task's System.out goes here (appended)
  13: string stderrPath
  14: i64 maxOutputBytes       // per stream; 0 = no cap
  15: i32 maxResultBytes
  16: optional map<i32,string> reduceInputFiles  // reduce task: shard results kept as blobs, fetched by the agent (entry in 8 empty)
  17: optional ResultBlobSpill resultSpill       // where a result over maxResultBytes goes instead of TaskDone.value
  18: optional list<UpstreamInput> upstream       // the ends and results of the jobs this job depends on
  // Protocol 3. In TaskBatch.jobs: the template's slot (it replaces the template sent before with the same
  // ref). In TaskBatch.tasks: the template whose job-level fields (1, 6, 9, 10, 11) this task leaves unset.
  // The template's other per-task fields are not used (except resultSpill.maxBytes, see 21).
  20: optional i32 jobRef
  // Protocol 3, in a template: the job's task directory. A task naming the template that leaves stdoutPath,
  // stderrPath and resultSpill unset writes <taskDirs>/<task>/attempt-<attemptId>.stdout, .stderr and .result
  // (the spill's cap is the template's resultSpill.maxBytes; without a template resultSpill, no spill).
  21: optional string taskDirs
}

/** An upstream job's end and result as a worker hands it to job code (ShardContext.upstream). */
struct UpstreamInput {
  1: string jobId
  2: optional string name
  3: optional string state       // a JobState name; absent when the upstream job is no longer known
  4: optional binary result      // a result reported inline
  5: optional string resultFile  // a result kept as a blob, fetched by the agent into this file (4 absent)
  6: optional i64 resultSize     // the file's size
}

/** A result larger than the inline limit is written to this file (in the attempt's directory). */
struct ResultBlobSpill {
  1: string path
  2: i64 maxBytes              // larger results are REJECTED
}

enum TaskStatus {
  SUCCEEDED = 1,
  FAILED = 2,                  // the job threw or returned an unusable result: retried per the job's policy
  REJECTED = 3                 // the entry class cannot be loaded or instantiated: not retried
}

struct TaskDone {
  1: TaskStatus status
  2: optional binary value     // SUCCEEDED: the encoded result
  3: optional string error
  4: bool dirty                // the worker should not run another task (OutOfMemoryError, a fatal Error)
  5: optional string resultCodec  // SUCCEEDED: the name of the job's ResultCodec
  6: optional string resultSha256  // SUCCEEDED with the value in RunTask.resultSpill's file: its hash
  7: optional i64 resultSize       // and its size (value unset)
  8: optional i64 attemptId        // protocol 2: the attempt this ends (RunTask.attemptId)
}

/**
 * Protocol 2, agent to worker: tasks to queue (run in order after those sent before), and attempts
 * to drop from the queue if they have not started (cancelled while queued: no DoneBatch entry then).
 */
struct TaskBatch {
  1: list<RunTask> tasks
  2: optional list<i64> dropAttempts
  3: optional list<RunTask> jobs  // protocol 3: job templates (jobRef and job-level fields), applied before the tasks
}

/**
 * Protocol 2, worker to agent: ended attempts, in the order they ran. A task marked dirty is the
 * worker's last: it runs nothing queued behind it, so the agent may give those back.
 */
struct DoneBatch {
  1: list<TaskDone> done
}

service WorkerService {
  /** Runs the attempt to its end. Cancel and timeout are the agent killing the worker. */
  TaskDone run(1: RunTask task)
}
