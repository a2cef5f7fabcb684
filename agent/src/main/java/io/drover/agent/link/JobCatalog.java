package io.drover.agent.link;

import io.drover.agent.task.RequestRejectedException;

import io.drover.agent.exec.JobLookup;
import io.drover.agent.task.JobDescription;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Job descriptions by id, asked of the coordinator once and cached. A job's description never
 * changes, so there is nothing to invalidate; the cache keeps the most recently used
 * {@code capacity} jobs so a long-lived agent does not grow without bound.
 */
public final class JobCatalog implements JobLookup {
    private final CoordinatorLink link;
    private final Map<String, JobDescription> cache; // guarded by itself

    public JobCatalog(CoordinatorLink link, int capacity) {
        this.link = link;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, JobDescription> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public JobDescription describe(String jobId) {
        synchronized (cache) {
            JobDescription known = cache.get(jobId);
            if (known != null) {
                return known;
            }
        }
        // Outside the lock: a slow coordinator must not hold up tasks of other, known jobs.
        // Two tasks of a new job may both ask; the answers are identical.
        JobDescription described = link.describeJob(jobId);
        if (!described.jobId().equals(jobId)) {
            throw new RequestRejectedException("asked for job " + jobId + " but the coordinator described " + described.jobId(), null);
        }
        // A job's tasks are assigned only once its upstream jobs ended, so their results are final: cached with it.
        JobDescription fetched = described.withUpstream(link.dependencyResults(jobId));
        synchronized (cache) {
            cache.put(jobId, fetched);
        }
        return fetched;
    }
}
