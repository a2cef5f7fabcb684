package io.drover.agent.journal;

import io.drover.agent.platform.PrivateFiles;
import io.drover.agent.task.TaskReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's durable {@link ResultJournal} (invariant 5: results the agent holds survive a
 * restart). One append-only file, {@code <dir>/results.log}, in the format of {@link JournalCodec}:
 * a result is buffered by {@link #append}, then written (one write for every result that finished since
 * the last report; the task threads never wait for the disk) by {@link #pending} before it is offered
 * for reporting, so a killed agent process leaves it in the file. It is fsync'd only by
 * {@link #makeDurable}, which the reporter calls when a report did not get results acknowledged (the
 * coordinator was unreachable, or did not take them): a result the coordinator acknowledged is
 * committed there and needs no sync here, and one whose report is still in flight when the machine
 * goes down runs again, as a result not yet reported does. An acknowledgement is buffered and written without a sync, since losing one only costs a resend the coordinator recognises as a duplicate. Opening the journal replays the file: every
 * result without a later acknowledgement is pending again and goes out with the first report.
 *
 * <p>A crash can leave the last record torn; it fails its length or checksum check and is cut off.
 * Damage before the end (a disk fault, not a crash) stops the replay there too, but the file is first
 * copied aside as {@code results.log.damaged-<millis>} for an operator and the loss is logged as an error.
 *
 * <p>When most of the file is acknowledged results and acknowledgements, it is compacted: the
 * pending results are written to a new file, synced, and renamed over the old one atomically, so a
 * crash at any point leaves one whole journal. Whoever syncs covers everything written so far. A lock file keeps two agent processes off one directory.
 *
 * <p>I/O uses classic streams, never NIO channels: the task threads that append get interrupted when
 * tasks are cancelled, and an interrupt would close a channel for every thread.
 *
 * <p>If the disk fails (full, read-only), the journal logs an error and keeps results in memory only:
 * reporting goes on, but results are no longer safe across a restart.
 */
public final class FileResultJournal implements ResultJournal {
    private static final Logger log = LoggerFactory.getLogger(FileResultJournal.class);
    /** Dead (acknowledged) bytes that must pile up before a compaction is worth a rewrite. */
    static final long DEFAULT_COMPACT_AFTER_BYTES = 1024 * 1024;
    /** Compact only when live results are under a quarter of the dead bytes: "most is acknowledged". */
    private static final int DEAD_TO_LIVE = 3;
    /** Buffered frames beyond this are written at once (not synced), so the buffer stays small while no report goes out. */
    static final int WRITE_AFTER_BYTES = 64 * 1024;

    private final Path dir;
    private final Path file;
    private final long compactAfterBytes;
    private final DirectoryLock dirLock;
    /** Taken before {@code this}, never after: held while syncing or replacing the file. */
    private final Object syncLock = new Object();
    private final Map<Long, Entry> pending = new LinkedHashMap<>(); // guarded by this; oldest first
    private RandomAccessFile out; // guarded by this; replaced only while syncLock is held too
    /** Frames not yet written to the file, in order; written when a report reads {@link #pending} or it grows past {@link #WRITE_AFTER_BYTES}. */
    private final FrameBuffer unwritten = new FrameBuffer(); // guarded by this
    private long fileBytes; // guarded by this: the file's bytes plus those in unwritten
    private long liveBytes; // guarded by this
    private long appended; // guarded by this: results written so far
    private boolean disabled; // guarded by this
    private boolean closed; // guarded by this
    private volatile long synced; // written under syncLock: results known to be on disk

    /** A byte buffer whose array the file is written from without a copy. */
    private static final class FrameBuffer extends ByteArrayOutputStream {
        byte[] bytes() {
            return buf;
        }
    }

    private record Entry(TaskReport report, int bytes) {
    }

    private FileResultJournal(Path dir, DirectoryLock dirLock, long compactAfterBytes) {
        this.dir = dir;
        this.file = dir.resolve(JournalFile.FILE_NAME);
        this.dirLock = dirLock;
        this.compactAfterBytes = compactAfterBytes;
    }

    /**
     * Opens (creating if needed) the journal in {@code dir} and loads its unacknowledged results.
     *
     * @throws IOException when the directory cannot be used, another agent process holds it, or the
     *                     file is not a journal this agent can read (it is left untouched then)
     */
    public static FileResultJournal open(Path dir) throws IOException {
        return open(dir, DEFAULT_COMPACT_AFTER_BYTES);
    }

    static FileResultJournal open(Path dir, long compactAfterBytes) throws IOException {
        PrivateFiles.directories(dir);
        DirectoryLock lock = DirectoryLock.acquire(dir);
        FileResultJournal journal = new FileResultJournal(dir, lock, compactAfterBytes);
        try {
            journal.load();
            return journal;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    @Override
    public synchronized void append(TaskReport report) {
        if (pending.containsKey(report.attemptId())) {
            return;
        }
        byte[] frame = JournalCodec.frame(new JournalRecord.Result(report));
        long sequence = disabled || closed ? 0 : appended + 1;
        pending.put(report.attemptId(), new Entry(report, frame.length));
        liveBytes += frame.length;
        if (write(frame)) {
            appended = sequence;
        }
    }

    /**
     * Writes what was appended so far to the file (no fsync: a write survives the agent's process being
     * killed, only not the machine going down), then returns up to {@code max} results, oldest first. Once
     * the journal no longer writes (disk error, closed), everything it holds in memory.
     */
    @Override
    public List<TaskReport> pending(int max) {
        synchronized (this) {
            if (!disabled && !closed) {
                writeBuffered(); // on failure the journal disables itself and offers from memory
            }
            List<TaskReport> out = new ArrayList<>(Math.min(max, pending.size()));
            for (Entry entry : pending.values()) {
                if (out.size() == max) {
                    break;
                }
                out.add(entry.report());
            }
            return out;
        }
    }

    /** Syncs every result appended so far; one sync covers all of them. */
    @Override
    public void makeDurable() {
        long upTo;
        synchronized (this) {
            upTo = appended;
        }
        sync(upTo);
    }

    @Override
    public void acknowledge(Collection<Long> attemptIds) {
        boolean compact;
        synchronized (this) {
            List<Long> known = new ArrayList<>();
            for (Long id : attemptIds) {
                Entry entry = pending.remove(id);
                if (entry != null) {
                    liveBytes -= entry.bytes();
                    known.add(id);
                }
            }
            if (known.isEmpty()) {
                return;
            }
            write(JournalCodec.frame(new JournalRecord.Ack(known)));
            compact = mostlyAcknowledged();
        }
        if (compact) {
            compact();
        }
    }

    @Override
    public synchronized boolean holds(long attemptId) {
        return pending.containsKey(attemptId);
    }

    @Override
    public synchronized int size() {
        return pending.size();
    }

    /** Bytes in the journal file (for tests and diagnostics). */
    synchronized long fileBytes() {
        return fileBytes;
    }

    /** Syncs and closes the file and releases the directory; pending results stay readable in memory. */
    @Override
    public void close() {
        synchronized (syncLock) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    if (!disabled && writeBuffered()) {
                        out.getFD().sync();
                    }
                    out.close();
                } catch (IOException e) {
                    log.warn("result journal {}: closing failed: {}", file, e.toString());
                }
                log.debug("result journal {} closed with {} unacknowledged results", file, pending.size());
            }
        }
        dirLock.close();
    }

    // ---------------------------------------------------------------- loading

    private void load() throws IOException {
        JournalCodec.Scan scan = JournalFile.recover(dir);
        for (JournalCodec.Framed framed : scan.records()) {
            replay(framed);
        }
        out = new RandomAccessFile(file.toFile(), "rw");
        out.seek(scan.validEnd());
        fileBytes = scan.validEnd();
        if (!pending.isEmpty()) {
            log.info("result journal {}: {} results from before the restart await acknowledgement", file, pending.size());
        }
        if (mostlyAcknowledged()) {
            compact();
        }
    }

    private void replay(JournalCodec.Framed framed) {
        if (framed.record() instanceof JournalRecord.Result result) {
            TaskReport report = result.report();
            if (pending.putIfAbsent(report.attemptId(), new Entry(report, framed.bytes())) == null) {
                liveBytes += framed.bytes();
            }
        } else if (framed.record() instanceof JournalRecord.Ack ack) {
            for (long id : ack.attemptIds()) {
                Entry entry = pending.remove(id);
                if (entry != null) {
                    liveBytes -= entry.bytes();
                }
            }
        }
    }

    // ---------------------------------------------------------------- writing

    /** Appends a frame to the buffer; false when the journal no longer writes (disabled after an error, or closed). */
    private boolean write(byte[] frame) {
        if (disabled || closed) {
            return false;
        }
        unwritten.writeBytes(frame);
        fileBytes += frame.length;
        return unwritten.size() < WRITE_AFTER_BYTES || writeBuffered();
    }

    /** Writes the buffered frames to the file (one write); false, with the journal disabled, if that fails. */
    private boolean writeBuffered() {
        if (unwritten.size() == 0) {
            return true;
        }
        try {
            out.write(unwritten.bytes(), 0, unwritten.size());
            unwritten.reset();
            return true;
        } catch (IOException e) {
            disable("cannot append", e);
            return false;
        }
    }

    /** Makes every result written up to {@code sequence} durable; one sync covers all waiting appenders. */
    private void sync(long sequence) {
        synchronized (syncLock) {
            if (synced >= sequence) {
                return;
            }
            RandomAccessFile target;
            long upTo;
            synchronized (this) {
                if (disabled || closed || !writeBuffered()) {
                    return;
                }
                target = out;
                upTo = appended;
            }
            try {
                target.getFD().sync();
                synced = upTo;
            } catch (IOException e) {
                synchronized (this) {
                    disable("cannot sync", e);
                }
            }
        }
    }

    private void disable(String what, IOException e) {
        disabled = true;
        fileBytes -= unwritten.size();
        unwritten.reset();
        log.error("result journal {}: {} ({}); results are kept in memory only from now on and are lost if "
                + "the agent stops before the coordinator acknowledges them", file, what, e.toString());
        try {
            out.setLength(fileBytes); // drop a half-written frame so the file stays readable
        } catch (IOException again) {
            log.warn("result journal {}: could not cut off a partial record: {}", file, again.toString());
        }
    }

    private boolean mostlyAcknowledged() {
        long dead = fileBytes - JournalCodec.HEADER_BYTES - liveBytes;
        return !disabled && !closed && dead >= compactAfterBytes && dead > DEAD_TO_LIVE * liveBytes;
    }

    private void compact() {
        synchronized (syncLock) {
            synchronized (this) {
                if (!mostlyAcknowledged()) {
                    return; // another thread compacted first
                }
                long before = fileBytes;
                long size;
                try {
                    size = JournalFile.replace(dir, pending.values().stream().map(Entry::report).toList());
                } catch (IOException e) {
                    log.warn("result journal {}: compaction failed ({}); going on with the old file", file, e.toString());
                    return;
                }
                RandomAccessFile old = out;
                try {
                    out = new RandomAccessFile(file.toFile(), "rw");
                    out.seek(size);
                } catch (IOException e) {
                    out = old;
                    disable("cannot reopen the journal after compacting it", e);
                    return;
                }
                closeQuietly(old);
                unwritten.reset(); // the new file holds every pending result; buffered acknowledgements are moot
                fileBytes = size;
                synced = appended; // the new file was synced before the rename
                log.debug("result journal {} compacted from {} to {} bytes ({} pending)", file, before, size, pending.size());
            }
        }
    }

    private void closeQuietly(RandomAccessFile stale) {
        try {
            stale.close();
        } catch (IOException e) {
            log.debug("result journal {}: closing the file replaced by compaction failed: {}", file, e.toString());
        }
    }
}
