package io.drover.sdk;

import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.SubmitReply;
import io.drover.protocol.thrift.WorkflowJob;
import io.drover.protocol.thrift.WorkflowReply;
import io.drover.protocol.thrift.WorkflowSubmission;
import io.drover.sdk.internal.ArtifactUploader;
import io.drover.sdk.internal.ClientConnection;
import io.drover.sdk.internal.JobJarCheck;
import io.drover.sdk.internal.Mappers;
import io.drover.sdk.internal.RequestSize;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** {@link DroverClient}'s submits: jobs and workflows, each local job jar checked and uploaded first. */
final class JobSubmissions {
    private final ClientConnection connection;
    private final ArtifactUploader uploader;

    JobSubmissions(ClientConnection connection, ArtifactUploader uploader) {
        this.connection = connection;
        this.uploader = uploader;
    }

    JobHandle submit(JobSpec spec) {
        Objects.requireNonNull(spec, "spec");
        JobSubmission submission = Mappers.toSubmission(spec, jarSha(spec));
        RequestSize.check("the job spec", submission);
        SubmitReply reply = connection.call(c -> c.submit(submission));
        return new JobHandle(connection, reply.getJobId());
    }

    Map<String, JobHandle> submitWorkflow(Workflow workflow) {
        Objects.requireNonNull(workflow, "workflow");
        WorkflowSubmission wire = workflowWire(workflow);
        RequestSize.check("the workflow", wire);
        WorkflowReply reply = connection.call(c -> c.workflowSubmit(wire));
        Map<String, JobHandle> out = new LinkedHashMap<>();
        reply.getJobs().forEach(j -> out.put(j.getName(), new JobHandle(connection, j.getJobId())));
        return Collections.unmodifiableMap(out);
    }

    /** The workflow's jobs on the wire, each local jar uploaded once. */
    WorkflowSubmission workflowWire(Workflow workflow) {
        WorkflowSubmission wire = new WorkflowSubmission(new ArrayList<>());
        Map<Path, String> uploaded = new HashMap<>();
        workflow.jobs().forEach((name, spec) -> {
            String sha = spec.jobJar().map(jar -> uploaded.computeIfAbsent(jar,
                    j -> checkedUpload(j, spec.entryClass().orElseThrow()))).orElse(null);
            wire.getJobs().add(new WorkflowJob(name, Mappers.toSubmission(spec, sha)));
        });
        return wire;
    }

    /** The SHA-256 of the spec's local job jar, checked and uploaded; null when it names none. */
    String jarSha(JobSpec spec) {
        return spec.jobJar().map(jar -> checkedUpload(jar, spec.entryClass().orElseThrow())).orElse(null);
    }

    String uploadArtifact(Path jar) {
        return uploader.upload(Objects.requireNonNull(jar, "jar"));
    }

    private String checkedUpload(Path jar, String entryClass) {
        JobJarCheck.check(jar, entryClass);
        return uploader.upload(jar);
    }
}
