package io.drover.web.api.dto;

import java.util.List;

/**
 * A job. {@code progress} is the finished fraction (succeeded or failed), 0..1; {@code ratePerSecond} tasks
 * finished per second over the last minute seen (else since submit), {@code etaSeconds} the time left at that
 * rate: both null when not known (nothing finished yet, or the job ended). {@code result} is the single result of
 * a succeeded job (reduce output or the only shard's); {@code shardResults} the first shard results of a
 * succeeded job without one, {@code shardResultCount} how many there are. Lists of jobs leave the results null.
 * {@code constraints} and {@code spreadLabel} are the job's placement settings (empty list, null: none);
 * {@code waiting} says why its tasks wait when no agent taking work could ever run one (else null).
 * {@code dependencies} are the jobs this one depends on (empty: none) and {@code waitingFor} the ids of those
 * that have not ended: what a {@code WAITING} job waits for. {@code queueWait} says why its ready tasks wait
 * although agents could run them (owner's quota, fair share, no free slot), else null. {@code backupsStarted}
 * and {@code backupsWon}: the straggler backups started for its tasks and how many won (both null for a job
 * that takes no backups).
 */
public record JobJson(String id, String name, String owner, String state, int total, int succeeded, int failed,
                      int cancelled, int running, int pending, double progress, Double ratePerSecond, Long etaSeconds,
                      String submittedAt, String finishedAt, long ageSeconds, String error, ResultJson result,
                      List<ResultJson> shardResults, Integer shardResultCount, List<String> constraints,
                      String spreadLabel, String waiting, List<DependencyJson> dependencies,
                      List<String> waitingFor, QueueWaitJson queueWait, Integer backupsStarted,
                      Integer backupsWon) {
}
