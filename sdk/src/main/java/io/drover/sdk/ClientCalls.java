package io.drover.sdk;

import io.drover.protocol.WireLimits;
import io.drover.sdk.internal.ArtifactUploader;
import io.drover.sdk.internal.ClientConnection;
import io.drover.sdk.internal.LogReads;

/**
 * The groups of calls {@link DroverClient}'s public methods hand their work to, all over the client's one connection.
 * Each group checks its arguments before anything is sent.
 */
record ClientCalls(ClientConnection connection, JobSubmissions submissions, JobQueries jobs, AgentCalls agents,
        LogReads logs, ScheduleCalls schedules, StoreAndAuditCalls storeAndAudit, QuotaCalls quotas) {

    static ClientCalls over(ClientConnection connection) {
        JobSubmissions submissions =
                new JobSubmissions(connection, new ArtifactUploader(connection, WireLimits.ARTIFACT_CHUNK_BYTES));
        return new ClientCalls(connection, submissions, new JobQueries(connection), new AgentCalls(connection),
                new LogReads(connection), new ScheduleCalls(connection, submissions),
                new StoreAndAuditCalls(connection), new QuotaCalls(connection));
    }
}
