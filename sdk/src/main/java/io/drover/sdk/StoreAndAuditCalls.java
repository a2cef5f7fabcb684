package io.drover.sdk;

import io.drover.sdk.internal.ClientConnection;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link DroverClient}'s reads of what the coordinators keep about themselves: store sizes and the audit log. */
final class StoreAndAuditCalls {
    private final ClientConnection connection;

    StoreAndAuditCalls(ClientConnection connection) {
        this.connection = connection;
    }

    /** Empty when the leader's release does not have the call. */
    Optional<StoreStats> storeStats() {
        io.drover.protocol.thrift.StoreStats s = connection.call(c -> OlderLeader.orNull(() -> c.storeStats()));
        return Optional.ofNullable(s).map(w -> new StoreStats(w.getFactLogZnodes(), w.getFactLogBytes(),
                w.getCompleteArtifacts(), w.getCompleteArtifactBytes(), w.getUploadsInProgress(), w.getUploadBytes(),
                Instant.ofEpochMilli(w.getMeasuredAtMs())));
    }

    List<AuditEntry> audit(Instant since, int limit) {
        Objects.requireNonNull(since, "since");
        Args.inRange(limit, 1, 1_000, "limit");
        long sinceMs = since.toEpochMilli();
        return connection.call(c -> c.readAudit(sinceMs, limit)).stream()
                .map(e -> new AuditEntry(Instant.ofEpochMilli(e.getAtMs()), e.getWho(), e.getRole(), e.getAction(),
                        e.getTarget(), e.getRemote(), e.getOutcome()))
                .toList();
    }
}
