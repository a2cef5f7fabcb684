package io.drover.web.api;

import io.drover.http.HttpProblem;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads shared by callers asking the same thing at about the same time: the first runs the upstream call, callers
 * arriving while it runs wait for its answer instead of repeating it, and callers within {@code maxAge} of its start
 * get that answer (build it once, JSON included, so the sharers also share the serialization). Five consoles on one
 * job cost the coordinator one poll a second, not five.
 *
 * <p>Keyed by the SHA-256 of the caller's token and what was asked: an answer is only shared among callers presenting
 * the same token, which the coordinator already allowed to read it (each request is still identified first, so an
 * expired or revoked token is refused even while its answers are fresh). Failures are never kept. Bounded: answers
 * older than {@code maxAge} are dropped whenever a new one is added, and when {@code maxEntries} fresh answers are
 * held a read runs unshared.
 */
final class SharedReads {
    /** An upstream read. */
    @FunctionalInterface
    interface Read<T> {
        T run() throws HttpProblem;
    }

    private record Key(String token, String what) {
    }

    private static final class Entry {
        final long startedMs;
        final CompletableFuture<Object> value = new CompletableFuture<>();

        Entry(long startedMs) {
            this.startedMs = startedMs;
        }
    }

    private final Clock clock;
    private final long maxAgeMs;
    private final int maxEntries;
    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong upstream = new AtomicLong();

    SharedReads(Clock clock, Duration maxAge, int maxEntries) {
        if (maxAge.isNegative() || maxEntries < 1) {
            throw new IllegalArgumentException("maxAge must be >= 0 and maxEntries >= 1, were " + maxAge + ", " + maxEntries);
        }
        this.clock = clock;
        this.maxAgeMs = maxAge.toMillis();
        this.maxEntries = maxEntries;
    }

    /**
     * The answer to {@code what} for {@code token}: a fresh or running read's, else {@code read}'s. The same
     * {@code what} must always be read as the same type.
     */
    @SuppressWarnings("unchecked")
    <T> T get(Optional<String> token, String what, Read<T> read) throws HttpProblem {
        Key key = new Key(token.map(ClientPool::sha256).orElse(""), what);
        long now = clock.millis();
        Entry mine = new Entry(now);
        Entry current = entries.compute(key, (k, e) -> e != null && fresh(e, now) ? e : mine);
        if (current != mine) {
            return (T) await(current);
        }
        dropStale(now);
        if (entries.size() > maxEntries) {
            entries.remove(key, mine); // full of fresh answers: this one is not kept (callers already waiting still get it)
        }
        upstream.incrementAndGet();
        try {
            T value = read.run();
            mine.value.complete(value);
            return value;
        } catch (HttpProblem | RuntimeException | Error e) {
            entries.remove(key, mine);
            mine.value.completeExceptionally(e);
            throw e;
        }
    }

    /** Reads that went upstream so far (the rest were shared). */
    long upstreamReads() {
        return upstream.get();
    }

    /** Answers held (fresh or not yet dropped). */
    int size() {
        return entries.size();
    }

    private boolean fresh(Entry e, long now) {
        return !e.value.isDone() || (now - e.startedMs < maxAgeMs && !e.value.isCompletedExceptionally());
    }

    private void dropStale(long now) {
        entries.values().removeIf(e -> !fresh(e, now));
    }

    private static Object await(Entry e) throws HttpProblem {
        try {
            return e.value.get();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw HttpProblem.unavailable("interrupted while waiting for a shared read");
        } catch (ExecutionException ee) {
            if (ee.getCause() instanceof HttpProblem p) {
                throw p;
            }
            if (ee.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("a shared read failed", ee.getCause());
        }
    }
}
