package io.drover.sdk;

import io.drover.protocol.thrift.TaskPageQuery;
import io.drover.protocol.thrift.TaskPageView;
import io.drover.protocol.thrift.TaskStreamView;
import io.drover.sdk.internal.ClientConnection;
import io.drover.sdk.internal.Mappers;
import io.drover.sdk.internal.StreamMappers;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** {@link DroverClient}'s reads of jobs as a whole: the recent jobs, a job's task pages and its task stream. */
final class JobQueries {
    private final ClientConnection connection;

    JobQueries(ClientConnection connection) {
        this.connection = connection;
    }

    List<JobStatus> recent(int limit) {
        Args.inRange(limit, 1, 10_000, "limit");
        return connection.call(c -> c.listJobs(limit)).stream().map(Mappers::toJobStatus).toList();
    }

    /** The leader builds only the page; a leader of an older release sends every task and the page is cut here. */
    TaskPage tasks(String jobId, int offset, int limit, String state) {
        Args.nonBlank(jobId, "jobId");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, was " + offset);
        }
        Args.inRange(limit, 1, 1_000, "limit");
        if (state != null && !DroverClient.TASK_STATES.contains(state)) {
            throw new IllegalArgumentException("state must be one of " + new TreeSet<>(DroverClient.TASK_STATES)
                    + ", was " + state);
        }
        TaskPageQuery q = new TaskPageQuery();
        q.setJobId(jobId);
        q.setOffset(offset);
        q.setLimit(limit);
        if (state != null) {
            q.setState(state);
        }
        TaskPageView v = connection.call(c -> OlderLeader.orNull(() -> c.taskPage(q)));
        if (v == null) { // an older leader: page its full task list here
            JobStatus all = new JobHandle(connection, jobId).status(true);
            List<TaskStatus> matched =
                    all.tasks().stream().filter(t -> state == null || t.state().equals(state)).toList();
            return new TaskPage(all.jobId(), matched.size(), offset,
                    matched.stream().skip(offset).limit(limit).toList());
        }
        List<TaskStatus> tasks = v.isSetTasks() ? v.getTasks().stream().map(Mappers::toTaskStatus).toList() : List.of();
        return new TaskPage(v.isSetJobId() ? v.getJobId() : jobId, v.getMatched(), v.getOffset(), tasks);
    }

    /** Empty when the leader's release does not have the call. */
    Optional<TaskStream> taskStream(String jobId, int buckets, int maxAttempts) {
        Args.nonBlank(jobId, "jobId");
        Args.inRange(buckets, 1, 200, "buckets");
        Args.inRange(maxAttempts, 0, 2_000, "maxAttempts");
        TaskStreamView v = connection.call(c -> OlderLeader.orNull(() -> c.taskStream(jobId, buckets, maxAttempts)));
        return Optional.ofNullable(v).map(StreamMappers::toTaskStream);
    }
}
