package io.drover.coordinator.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.coordinator.auth.AuditRecord;
import io.drover.coordinator.store.AuditStore;
import io.drover.coordinator.store.Epoch;
import io.drover.coordinator.store.FencedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The audit trail's writer: everything recorded is written in order, under its own epoch; a fenced write is counted lost. */
class AuditTrailTest {
    /** A store that keeps appends in memory and refuses epochs older than the newest it saw. */
    private static final class RecordingStore implements AuditStore {
        final List<String> written = new CopyOnWriteArrayList<>();
        volatile long newest;

        @Override
        public void append(Epoch epoch, List<AuditRecord> records) {
            if (epoch.value() < newest) {
                throw new FencedException(epoch.value());
            }
            newest = epoch.value();
            records.forEach(r -> written.add(epoch.value() + ":" + r.action()));
        }

        @Override
        public List<AuditRecord> read(long sinceMs, int limit) {
            return List.of();
        }
    }

    @Test
    void recordsAreWrittenInOrderAndAFencedOneIsCountedLost() {
        RecordingStore store = new RecordingStore();
        try (AuditTrail trail = new AuditTrail(store)) {
            for (int i = 0; i < 1_000; i++) {
                trail.record(new Epoch(1, 1), record("a" + i));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> trail.written() == 1_000);
            trail.record(new Epoch(2, 2), record("new-term"));
            await().atMost(Duration.ofSeconds(10)).until(() -> trail.written() == 1_001);
            trail.record(new Epoch(1, 1), record("deposed"));
            await().atMost(Duration.ofSeconds(10)).until(() -> trail.lost() == 1);
        }
        assertThat(store.written).hasSize(1_001).startsWith("1:a0", "1:a1").endsWith("1:a999", "2:new-term");
    }

    private static AuditRecord record(String action) {
        return new AuditRecord(1, "alice", "submitter", action, "job", "127.0.0.1", "ok");
    }
}
