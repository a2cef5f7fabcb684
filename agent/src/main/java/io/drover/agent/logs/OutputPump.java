package io.drover.agent.logs;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a child's output pipe into its capped file until end of stream. The pipe is always read
 * to the end, even past the cap or after a disk error, so the child never blocks on a full pipe.
 */
public final class OutputPump {
    private static final Logger log = LoggerFactory.getLogger(OutputPump.class);
    private static final int BUFFER_BYTES = 8192;

    private OutputPump() {
    }

    /** Starts copying on {@code threads}; the future completes once the pipe ended and the file is closed. */
    public static CompletableFuture<Void> start(InputStream pipe, CappedOutput file, Executor threads) {
        return CompletableFuture.runAsync(() -> copy(pipe, file), threads);
    }

    private static void copy(InputStream pipe, CappedOutput file) {
        byte[] buffer = new byte[BUFFER_BYTES];
        boolean writable = true;
        try (pipe; file) {
            int n;
            while ((n = pipe.read(buffer)) >= 0) {
                if (writable) {
                    try {
                        file.write(buffer, 0, n);
                    } catch (IOException e) {
                        writable = false; // keep draining the pipe: the task must not block on it
                        log.warn("cannot write task output {} ({}); the rest of it is dropped", file.file(), e.toString());
                    }
                }
            }
        } catch (IOException e) {
            // The pipe broke (the stream was closed under us): the output ends here.
            log.debug("output pipe of {} ended: {}", file.file(), e.toString());
        }
    }
}
