package io.drover.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.http.HttpProblem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Sharing (same token and question, within the age; concurrent callers join one read), expiry and bounds. */
class SharedReadsTest {
    /** A clock the test moves. */
    private static final class Manual extends Clock {
        private volatile long millis = 1_000_000;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        void advance(Duration d) {
            millis += d.toMillis();
        }
    }

    private final Manual clock = new Manual();
    private final SharedReads shared = new SharedReads(clock, Duration.ofMillis(900), 4);
    private final AtomicInteger reads = new AtomicInteger();

    private String read(Optional<String> token, String what) throws HttpProblem {
        return shared.get(token, what, () -> what + "#" + reads.incrementAndGet());
    }

    @Test
    void theSameTokenAndQuestionWithinTheAgeShareOneRead_thenItExpires() throws Exception {
        Optional<String> t = Optional.of("token-a");
        assertThat(read(t, "job 1")).isEqualTo("job 1#1");
        clock.advance(Duration.ofMillis(899));
        assertThat(read(t, "job 1")).as("within 900 ms: shared").isEqualTo("job 1#1");
        clock.advance(Duration.ofMillis(1));
        assertThat(read(t, "job 1")).as("900 ms old: read again").isEqualTo("job 1#2");
        assertThat(shared.upstreamReads()).isEqualTo(2);
    }

    @Test
    void anotherTokenOrAnotherQuestionIsNeverShared() throws Exception {
        assertThat(read(Optional.of("token-a"), "job 1")).isEqualTo("job 1#1");
        assertThat(read(Optional.of("token-b"), "job 1")).isEqualTo("job 1#2");
        assertThat(read(Optional.empty(), "job 1")).isEqualTo("job 1#3");
        assertThat(read(Optional.of("token-a"), "job 2")).isEqualTo("job 2#4");
        assertThat(read(Optional.of("token-a"), "job 1")).isEqualTo("job 1#1");
    }

    @Test
    void callersArrivingDuringARunningReadWaitForItInsteadOfRepeatingIt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            Future<String> first = pool.submit(() -> shared.get(Optional.of("t"), "stream", () -> {
                started.countDown();
                try {
                    assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return "answer-" + reads.incrementAndGet();
            }));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            clock.advance(Duration.ofSeconds(5)); // however long it takes: a running read is joined, not repeated
            List<Future<String>> joiners = new ArrayList<>();
            java.util.Queue<Thread> waiting = new java.util.concurrent.ConcurrentLinkedQueue<>();
            for (int i = 0; i < 4; i++) {
                joiners.add(pool.submit(() -> {
                    waiting.add(Thread.currentThread());
                    return shared.get(Optional.of("t"), "stream", () -> "unshared-" + reads.incrementAndGet());
                }));
            }
            // Release the read only once all four are parked on it.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> waiting.size() == 4
                    && waiting.stream().allMatch(th -> th.getState() == Thread.State.WAITING));
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("answer-1");
            for (Future<String> f : joiners) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("answer-1");
            }
            assertThat(shared.upstreamReads()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailureReachesTheCallersOfThatReadButIsNotKept() throws Exception {
        Optional<String> t = Optional.of("t");
        assertThatThrownBy(() -> shared.get(t, "job 9", () -> {
            throw HttpProblem.notFound("no job 9");
        })).isInstanceOf(HttpProblem.class).hasMessageContaining("no job 9");
        assertThat(shared.size()).isZero();
        assertThat(read(t, "job 9")).as("the next caller reads again").isEqualTo("job 9#1");
    }

    @Test
    void staleAnswersAreDroppedAndAtMostMaxEntriesFreshOnesAreKept() throws Exception {
        Optional<String> t = Optional.of("t");
        for (int i = 0; i < 4; i++) {
            read(t, "q" + i);
        }
        assertThat(shared.size()).isEqualTo(4);
        read(t, "q4");
        assertThat(shared.size()).as("full of fresh answers: the fifth is read but not kept").isEqualTo(4);
        assertThat(read(t, "q4")).as("so it is read again").isEqualTo("q4#6");
        clock.advance(Duration.ofSeconds(1));
        read(t, "q5");
        assertThat(shared.size()).as("the stale ones went when a new one came").isEqualTo(1);
    }
}
