package io.drover.bench;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * How fast this machine creates processes at all: a bash loop running /bin/true N times, timed
 * from outside. The reference a process-task figure is reported against, measured in the same
 * sitting because it varies a lot between machines and with load.
 */
final class RawSpawnRate {
    private RawSpawnRate() {
    }

    /** Processes per second a shell loop achieves for {@code n} runs of /bin/true. */
    static double shellLoop(int n) {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "for ((i = 0; i < " + n + "; i++)); do /bin/true; done")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long t0 = System.nanoTime();
        try {
            int exit = pb.start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("the spawn-rate shell loop exited with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run bash for the spawn-rate loop", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring the spawn rate", e);
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }
}
