package io.drover.agent.heartbeat;

import io.drover.agent.platform.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent side of a pool's offline stop bound: an agent that has had no successful heartbeat for
 * longer than the bound stops its running attempts (they are reported CANCELLED once the link is
 * back, which re-queues them without using an attempt). The coordinator states the bound in its
 * heartbeat answers; it is kept in {@code <workDir>/offline-stop-after} so an agent restarted
 * while cut off still knows it. Never told (or told 0): tasks keep running through any outage.
 *
 * <p>Time comes from the injected clock; {@link #check()} runs periodically on the heartbeat side's
 * timer and may be called directly by tests. Thread-safe.
 */
public final class OfflineStop {
    private static final Logger log = LoggerFactory.getLogger(OfflineStop.class);
    static final String FILE = "offline-stop-after";

    private final String agentId;
    private final Path file;
    private final Clock clock;
    private final Function<String, Integer> stopRunning;
    private long boundMs; // guarded by this; 0 = keep running
    private long lastContactMs; // guarded by this

    /**
     * @param stopRunning stops every running attempt with the given reason; returns how many it stopped
     */
    public OfflineStop(String agentId, Path workDir, Clock clock, Function<String, Integer> stopRunning) {
        this.agentId = agentId;
        this.file = workDir.resolve(FILE);
        this.clock = clock;
        this.stopRunning = stopRunning;
        this.boundMs = read(file);
        this.lastContactMs = clock.millis(); // a (re)start counts from now: nothing runs yet
    }

    /** A heartbeat got an answer from a coordinator. */
    /** How long since the last answer from a coordinator (or since the agent started). */
    public synchronized long silentMs() {
        return Math.max(0, clock.millis() - lastContactMs);
    }

    public synchronized void contact() {
        lastContactMs = clock.millis();
    }

    /** The coordinator stated the pool's bound (0: keep running); stored when it changed. */
    public synchronized void told(Duration bound) {
        long ms = Math.max(0, bound.toMillis());
        if (ms == boundMs) {
            return;
        }
        boundMs = ms;
        log.info("agent {}: {}", agentId, ms == 0 ? "tasks keep running however long a coordinator is unreachable"
                : "tasks stop after " + Duration.ofMillis(ms) + " without reaching a coordinator (pool policy)");
        write(ms);
    }

    /** The bound in force: zero when tasks keep running. */
    public synchronized Duration bound() {
        return Duration.ofMillis(boundMs);
    }

    /** Stops running attempts if the agent is past the bound; returns how many it stopped. */
    public int check() {
        long bound;
        long silentMs;
        synchronized (this) {
            bound = boundMs;
            silentMs = clock.millis() - lastContactMs;
        }
        if (bound <= 0 || silentMs < bound) {
            return 0;
        }
        int stopped = stopRunning.apply("agent " + agentId + " reached no coordinator for " + Duration.ofMillis(silentMs)
                + ", past its pool's offline stop bound of " + Duration.ofMillis(bound) + "; given back to run again");
        if (stopped > 0) {
            log.warn("agent {}: no coordinator reached for {} (bound {}): stopped {} running tasks; they are reported"
                    + " CANCELLED when the link is back", agentId, Duration.ofMillis(silentMs), Duration.ofMillis(bound), stopped);
        }
        return stopped;
    }

    private long read(Path path) {
        try {
            String text = Files.readString(path, StandardCharsets.UTF_8).strip();
            long ms = Long.parseLong(text);
            if (ms >= 0) {
                return ms;
            }
            log.warn("{} holds a negative bound ({}); tasks keep running until a coordinator says otherwise", path, text);
        } catch (NoSuchFileException e) {
            // never told: keep running
        } catch (IOException | NumberFormatException e) {
            log.warn("cannot read the offline stop bound from {}: {}; tasks keep running until a coordinator says otherwise",
                    path, e.toString());
        }
        return 0;
    }

    /** Replaces the file atomically; a failure is logged (the bound still holds in memory). */
    private void write(long ms) {
        Path temp = file.resolveSibling(FILE + ".tmp");
        try {
            PrivateFiles.directories(file.getParent());
            PrivateFiles.writeString(temp, ms + "\n");
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("agent {}: cannot store the offline stop bound in {}: {}; a restart will not know it until told again",
                    agentId, file, e.toString());
        }
    }
}
