package io.drover.coordinator.rpc;

import io.drover.coordinator.auth.AuditRecord;
import io.drover.coordinator.store.AuditStore;
import io.drover.coordinator.store.Epoch;
import io.drover.coordinator.store.FencedException;
import io.drover.coordinator.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes audit records from the Thrift threads and writes them to the {@link AuditStore} on a thread
 * of its own, a batch per ZooKeeper multi, each fenced by the epoch of the term that served the
 * call. The reply to a call does not wait for its record: an audit write never slows a submit, and
 * a record that cannot be written (the term ended, ZooKeeper down, queue full) is counted and logged
 * with what it said, so the operator's log keeps it.
 */
public final class AuditTrail implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    static final int QUEUE_CAPACITY = 10_000;
    private static final int BATCH = 200;

    private record Pending(Epoch epoch, AuditRecord record) {
    }

    private final AuditStore store;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final ExecutorService writer;

    public AuditTrail(AuditStore store) {
        this.store = store;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "drover-audit");
            t.setDaemon(true);
            return t;
        });
    }

    /** The store it writes to, for reads. */
    AuditStore store() {
        return store;
    }

    /** Queues {@code record} to be written under {@code epoch}; never blocks. */
    void record(Epoch epoch, AuditRecord record) {
        if (!queue.offer(new Pending(epoch, record))) {
            lose(1, "the audit queue is full (" + QUEUE_CAPACITY + " entries; ZooKeeper slow?)", record);
            return;
        }
        if (flushing.compareAndSet(false, true)) {
            try {
                writer.execute(this::flush);
            } catch (RejectedExecutionException e) {
                flushing.set(false);
                lose(1, "the coordinator is closing", record);
            }
        }
    }

    /** Records written so far. */
    public long written() {
        return written.get();
    }

    /** Records that could not be written. */
    public long lost() {
        return lost.get();
    }

    /** Writes batches until the queue is empty; one flush runs at a time. */
    private void flush() {
        try {
            List<Pending> batch = new ArrayList<>(BATCH);
            while (queue.drainTo(batch, BATCH) > 0) {
                writeByEpoch(batch);
                batch.clear();
            }
        } finally {
            flushing.set(false);
        }
        // A record queued after the last drain but before flushing was cleared would wait for the next call.
        if (!queue.isEmpty() && flushing.compareAndSet(false, true)) {
            try {
                writer.execute(this::flush);
            } catch (RejectedExecutionException e) {
                flushing.set(false);
                log.warn("{} audit entries not written: the coordinator is closing", queue.size());
            }
        }
    }

    /** A batch is mostly one epoch; a leadership change inside it splits it. */
    private void writeByEpoch(List<Pending> batch) {
        int from = 0;
        while (from < batch.size()) {
            Epoch epoch = batch.get(from).epoch();
            int to = from;
            List<AuditRecord> records = new ArrayList<>();
            while (to < batch.size() && batch.get(to).epoch().equals(epoch)) {
                records.add(batch.get(to++).record());
            }
            try {
                store.append(epoch, records);
                written.addAndGet(records.size());
            } catch (FencedException e) {
                lose(records.size(), "the term of epoch " + epoch.value() + " ended", records.get(0));
            } catch (StoreException e) {
                lose(records.size(), e.getMessage(), records.get(0));
            }
            from = to;
        }
    }

    private void lose(int count, String why, AuditRecord first) {
        lost.addAndGet(count);
        log.warn("{} audit entr{} not written ({}); the first: {}", count, count == 1 ? "y" : "ies", why, first);
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("audit writer still busy after 5 s; {} entries queued are not written", queue.size());
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.shutdownNow();
        }
    }
}
