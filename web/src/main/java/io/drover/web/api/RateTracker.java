package io.drover.web.api;

import io.drover.web.api.dto.Rate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Measures jobs' pace from the progress it is shown: each observation of a job (every API read, every poll of
 * {@code drover watch}) is a sample; the rate is the tasks finished per second over the samples of the last
 * {@code window}, or, when those show no progress or span too little time, the average since submit. Bounded:
 * at most {@code maxJobs} jobs (the least recently seen is forgotten) and {@value #MAX_SAMPLES} samples each.
 * Thread-safe.
 */
public final class RateTracker {
    static final int MAX_SAMPLES = 64;
    /** Samples closer together than this say little about a pace. */
    static final Duration MIN_SPAN = Duration.ofSeconds(2);

    private record Sample(Instant at, int done) {
    }

    private final int maxJobs;
    private final Duration window;
    private final Map<String, Deque<Sample>> samples;

    public RateTracker(int maxJobs, Duration window) {
        if (maxJobs < 1 || window.compareTo(MIN_SPAN) < 0) {
            throw new IllegalArgumentException("maxJobs must be >= 1 and window >= " + MIN_SPAN + "; got " + maxJobs
                    + " and " + window);
        }
        this.maxJobs = maxJobs;
        this.window = window;
        this.samples = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Deque<Sample>> eldest) {
                return size() > RateTracker.this.maxJobs;
            }
        };
    }

    /**
     * Records that job {@code jobId} had {@code done} of {@code total} tasks finished at {@code now}, and returns
     * its pace; empty when nothing has finished yet.
     */
    public synchronized Optional<Rate> observe(String jobId, Instant submittedAt, int done, int total, Instant now) {
        Deque<Sample> s = samples.computeIfAbsent(jobId, k -> new ArrayDeque<>());
        if (s.isEmpty() || !s.peekLast().at().equals(now)) {
            s.addLast(new Sample(now, done));
        }
        while (s.size() > MAX_SAMPLES || (s.size() > 2 && s.peekFirst().at().isBefore(now.minus(window)))) {
            s.removeFirst();
        }
        Sample first = s.peekFirst();
        return rate(first.at(), first.done(), now, done, submittedAt, total);
    }

    /** Forgets a job (it ended and will not be asked about again). */
    public synchronized void forget(String jobId) {
        samples.remove(jobId);
    }

    /**
     * The pace between an earlier sample ({@code since}, {@code doneThen}) and now, or since submit when that shows
     * no progress or spans less than {@link #MIN_SPAN}. Pure.
     */
    static Optional<Rate> rate(Instant since, int doneThen, Instant now, int done, Instant submittedAt, int total) {
        Duration span = Duration.between(since, now);
        double perSecond;
        if (span.compareTo(MIN_SPAN) >= 0 && done > doneThen) {
            perSecond = (done - doneThen) / seconds(span);
        } else {
            Duration elapsed = Duration.between(submittedAt, now);
            if (done <= 0 || elapsed.compareTo(Duration.ofMillis(100)) < 0) {
                return Optional.empty();
            }
            perSecond = done / seconds(elapsed);
        }
        int left = Math.max(0, total - done);
        Optional<Long> eta = perSecond > 0 ? Optional.of((long) Math.ceil(left / perSecond)) : Optional.empty();
        return Optional.of(new Rate(perSecond, eta));
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
