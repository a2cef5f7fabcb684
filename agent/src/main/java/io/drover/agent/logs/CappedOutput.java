package io.drover.agent.logs;

import io.drover.agent.platform.PrivateFiles;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a task's output to its file, unbuffered (a follower sees bytes as they come), up to a
 * cap; beyond it bytes are counted and dropped, and the truncation marker is created at the first
 * dropped byte (so a reader learns of it while the task still runs). Closing writes how much was
 * dropped into the marker and tells the owner the file is complete. One writer thread at a time.
 */
public final class CappedOutput extends OutputStream {
    private final Path file;
    private final long capBytes;
    private final Runnable onClose;
    private final FileOutputStream out;
    private long written;
    private long dropped;
    private boolean closed;

    CappedOutput(Path file, long capBytes, Runnable onClose) throws IOException {
        this.file = file;
        this.capBytes = capBytes;
        this.onClose = onClose;
        Files.deleteIfExists(file); // a file left by a crash keeps its mode; a new one is 0600
        this.out = new FileOutputStream(PrivateFiles.file(file).toFile());
    }

    public Path file() {
        return file;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        int kept = (int) Math.max(0, Math.min(length, capBytes - written));
        if (kept > 0) {
            out.write(bytes, offset, kept);
            written += kept;
        }
        if (kept < length) {
            if (dropped == 0) {
                PrivateFiles.write(TaskOutputs.truncationMarker(file), new byte[0]);
            }
            dropped += length - kept;
        }
    }

    /** Bytes kept in the file. */
    public long written() {
        return written;
    }

    /** Bytes dropped beyond the cap. */
    public long dropped() {
        return dropped;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
            if (dropped > 0) {
                PrivateFiles.writeString(TaskOutputs.truncationMarker(file), "output capped at " + capBytes + " bytes; "
                        + dropped + " later bytes were dropped\n");
            }
        } finally {
            onClose.run();
        }
    }
}
