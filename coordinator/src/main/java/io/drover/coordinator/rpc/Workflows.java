package io.drover.coordinator.rpc;

import io.drover.coordinator.core.JobDefinition;
import io.drover.coordinator.core.Response;
import io.drover.coordinator.core.WorkflowJob;
import io.drover.coordinator.secrets.SecretSealer;
import io.drover.coordinator.store.ArtifactStore;
import io.drover.protocol.thrift.WorkflowJobId;
import io.drover.protocol.thrift.WorkflowReply;
import io.drover.protocol.thrift.WorkflowSubmission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A workflow at the edge: each job checked as a submit is ({@link Submissions}), every problem
 * named with its job, and the whole kept small enough to be one group commit of the core's turn.
 */
final class Workflows {
    /** As the core's bound: the most jobs one workflow submits. */
    static final int MAX_JOBS = 256;
    /**
     * The definitions of one workflow together: under the smallest ZooKeeper transaction budget a
     * coordinator may be given, so its facts normally land in one transaction.
     */
    static final long MAX_WORKFLOW_BYTES = 48 * 1024;

    private Workflows() {
    }

    static List<WorkflowJob> toJobs(WorkflowSubmission w, ArtifactStore artifacts, SecretSealer sealer) {
        List<String> problems = new ArrayList<>();
        List<WorkflowJob> out = new ArrayList<>(w.getJobs().size());
        long bytes = 0;
        for (io.drover.protocol.thrift.WorkflowJob j : w.getJobs()) {
            try {
                JobDefinition d = Submissions.toDefinition(j.getJob(), artifacts, sealer);
                out.add(new WorkflowJob(j.getName(), d));
                bytes += Submissions.storedBytes(j.getJob());
            } catch (IllegalArgumentException e) {
                problems.add("job '" + j.getName() + "': " + e.getMessage());
            }
        }
        if (bytes > MAX_WORKFLOW_BYTES) {
            problems.add("the workflow's job definitions take " + bytes + " bytes, more than the " + MAX_WORKFLOW_BYTES
                    + " one workflow may hold; submit large shard lists as jobs of their own");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid workflow: " + String.join("; ", problems));
        }
        return out;
    }

    static WorkflowReply reply(Response.WorkflowSubmitted submitted) {
        List<WorkflowJobId> ids = new ArrayList<>(submitted.jobIds().size());
        for (Map.Entry<String, String> e : submitted.jobIds().entrySet()) {
            ids.add(new WorkflowJobId(e.getKey(), e.getValue()));
        }
        return new WorkflowReply(ids, submitted.duplicate());
    }
}
