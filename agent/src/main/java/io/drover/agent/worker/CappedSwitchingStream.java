package io.drover.agent.worker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An output stream whose target changes per attempt: the attempt's file while it runs, the
 * worker's own stream in between. Writes to a file stop at the attempt's cap, after one note
 * saying so, so a chatty job cannot fill the agent's disk.
 */
final class CappedSwitchingStream extends OutputStream {
    private final OutputStream idleTarget;
    private OutputStream target; // guarded by this
    private long remaining = Long.MAX_VALUE; // guarded by this
    private long cap; // guarded by this

    CappedSwitchingStream(OutputStream idleTarget) {
        this.idleTarget = idleTarget;
        this.target = idleTarget;
    }

    /** Sends output to {@code file} (0 = no cap); the previous file is flushed, not closed. */
    synchronized void switchTo(OutputStream file, long maxBytes) throws IOException {
        target.flush();
        target = file;
        cap = maxBytes;
        remaining = maxBytes > 0 ? maxBytes : Long.MAX_VALUE;
    }

    /** Back to the worker's own stream; returns the file stream so the caller can close it. */
    synchronized OutputStream switchBack() throws IOException {
        if (target == idleTarget) {
            return OutputStream.nullOutputStream();
        }
        OutputStream file = target;
        file.flush();
        target = idleTarget;
        remaining = Long.MAX_VALUE;
        return file;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
            return;
        }
        if (len <= remaining) {
            target.write(b, off, len);
            remaining -= len;
            return;
        }
        target.write(b, off, (int) remaining);
        remaining = 0;
        target.write(("\n[drover: output truncated at " + cap + " bytes]\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void flush() throws IOException {
        target.flush();
    }
}
