package io.drover.agent.exec;

import io.drover.agent.task.JobDescription;

/** Finds how to run a job, given its id. */
@FunctionalInterface
public interface JobLookup {
    /**
     * @throws io.drover.agent.task.RequestRejectedException when the coordinator does not know the job
     * @throws io.drover.protocol.NoLeaderException when no coordinator answers
     */
    JobDescription describe(String jobId);
}
