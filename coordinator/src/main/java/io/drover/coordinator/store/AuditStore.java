package io.drover.coordinator.store;

import io.drover.coordinator.auth.AuditRecord;
import java.util.List;

/**
 * The audit log's durable home: appended by the leader (fenced like every leader write), read by
 * whichever coordinator leads later, bounded to the newest entries.
 */
public interface AuditStore {
    /**
     * Appends {@code records} in order.
     *
     * @throws FencedException when a newer leader took over; the records are not written
     * @throws StoreException when ZooKeeper is unreachable (the outcome may be unknown)
     */
    void append(Epoch epoch, List<AuditRecord> records);

    /** Entries stamped at or after {@code sinceMs}, oldest first, at most {@code limit}. Blocks. */
    List<AuditRecord> read(long sinceMs, int limit);

    /** A store that keeps nothing, for coordinators wired without ZooKeeper. */
    static AuditStore none() {
        return new AuditStore() {
            @Override
            public void append(Epoch epoch, List<AuditRecord> records) {
                // nothing kept on purpose: no durable store in this wiring
            }

            @Override
            public List<AuditRecord> read(long sinceMs, int limit) {
                return List.of();
            }
        };
    }
}
