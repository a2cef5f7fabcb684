package io.drover.agent.journal;

import io.drover.agent.platform.PrivateFiles;
import io.drover.agent.task.TaskReport;
import java.io.BufferedOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whole-file operations on the journal: recovering it after a restart or crash, and replacing it
 * atomically (creation and compaction). Classic streams only (see {@link FileResultJournal}).
 */
final class JournalFile {
    private static final Logger log = LoggerFactory.getLogger(JournalFile.class);
    static final String FILE_NAME = "results.log";
    private static final String REPLACEMENT_NAME = "results.log.compact";

    private JournalFile() {
    }

    /**
     * Opens the journal in {@code dir} after whatever ended the last run: creates it if missing,
     * checks its header, reads its valid records, and cuts off a torn or damaged tail (keeping a copy
     * of a damaged file first). On return the file ends exactly at {@link JournalCodec.Scan#validEnd}.
     *
     * @throws IOException when the file cannot be read, or is not a journal of this version
     */
    static JournalCodec.Scan recover(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        Files.deleteIfExists(dir.resolve(REPLACEMENT_NAME)); // a compaction cut short: the old file is still whole
        if (!Files.exists(file) || Files.size(file) < JournalCodec.HEADER_BYTES) {
            replace(dir, List.of()); // new, or a crash while creating it (nothing was in it yet)
        }
        checkHeader(file);
        JournalCodec.Scan scan = JournalCodec.scan(file);
        long size = Files.size(file);
        if (scan.validEnd() < size) {
            keepIfDamaged(file, scan.validEnd(), size);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(scan.validEnd());
                raf.getFD().sync();
            }
        }
        return scan;
    }

    /** Writes {@code reports} as a new journal, syncs it and renames it over the old one; returns its size. */
    static long replace(Path dir, Collection<TaskReport> reports) throws IOException {
        Path temp = dir.resolve(REPLACEMENT_NAME);
        long size;
        Files.deleteIfExists(temp);
        try (FileOutputStream stream = new FileOutputStream(PrivateFiles.file(temp).toFile());
             BufferedOutputStream buffered = new BufferedOutputStream(stream, 64 * 1024)) {
            byte[] header = JournalCodec.header();
            buffered.write(header);
            size = header.length;
            for (TaskReport report : reports) {
                byte[] frame = JournalCodec.frame(new JournalRecord.Result(report));
                buffered.write(frame);
                size += frame.length;
            }
            buffered.flush();
            stream.getFD().sync();
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(dir);
        return size;
    }

    private static void checkHeader(Path file) throws IOException {
        ByteBuffer header;
        try (InputStream in = new FileInputStream(file.toFile())) {
            header = ByteBuffer.wrap(in.readNBytes(JournalCodec.HEADER_BYTES));
        }
        int magic = header.getInt();
        int version = header.getInt();
        if (magic != JournalCodec.MAGIC) {
            throw new IOException(file + " is not a Drover result journal (it starts with 0x"
                    + Integer.toHexString(magic) + "); move it away to start with an empty journal");
        }
        if (version != JournalCodec.VERSION) {
            throw new IOException(file + " is a version " + version + " journal; this agent reads version "
                    + JournalCodec.VERSION + " (run the agent version that wrote it until its results are delivered)");
        }
    }

    /**
     * A torn last record is what a crash leaves: cut off quietly. Anything else is damage (a disk
     * fault): the file is copied aside before it is cut, so an operator can see what was lost.
     */
    private static void keepIfDamaged(Path file, long validEnd, long size) throws IOException {
        byte[] tail;
        try (InputStream in = new FileInputStream(file.toFile())) {
            in.skipNBytes(validEnd);
            tail = in.readAllBytes();
        }
        if (isTornRecord(tail)) {
            log.info("result journal {}: ignoring a torn last record ({} bytes) left by a crash", file, size - validEnd);
            return;
        }
        Path copy = file.resolveSibling(FILE_NAME + ".damaged-" + System.currentTimeMillis());
        Files.copy(file, copy);
        log.error("result journal {} is damaged at byte {} of {}: the records after it are dropped; the file as found "
                + "is kept as {}", file, validEnd, size, copy);
    }

    /** One frame running up to or past the end of the file, or zeros the crash left in a grown file. */
    static boolean isTornRecord(byte[] tail) {
        if (tail.length < JournalCodec.FRAME_BYTES) {
            return true;
        }
        int length = ByteBuffer.wrap(tail).getInt();
        boolean lastFrame = length >= 1 && length <= JournalCodec.MAX_PAYLOAD_BYTES
                && JournalCodec.FRAME_BYTES + (long) length >= tail.length;
        boolean zeros = true;
        for (byte b : tail) {
            zeros &= b == 0;
        }
        return lastFrame || zeros;
    }

    /** Makes a rename durable (Linux needs the directory synced). Best effort: not every OS can. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            log.debug("result journal: cannot sync directory {}: {}", dir, e.toString());
        }
    }
}
