package io.drover.coordinator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.testkit.SettableClock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskStreamRecorderTest {
    private final SettableClock clock = new SettableClock(Instant.ofEpochMilli(1_000_000));

    @Test
    void attemptsGetSlotsOutcomesAndRetries() {
        TaskStreamRecorder r = new TaskStreamRecorder(clock, 1_000);
        r.assigned(1, "a1", "job", 0, 10);
        r.assigned(1, "a1", "job", 1, 11);
        clock.advance(java.time.Duration.ofMillis(100));
        r.finished(1, "a1", "job", 0, 10, AttemptOutcome.SUCCEEDED, 100);
        r.finished(1, "a1", "job", 1, 11, AttemptOutcome.FAILED, 100);
        r.finished(1, "a1", "job", 1, 11, AttemptOutcome.SUCCEEDED, 100); // a repeated report changes nothing
        r.assigned(1, "a1", "job", 1, 12);                                   // the retry takes the lowest free slot
        clock.advance(java.time.Duration.ofMillis(50));

        TaskStream s = r.stream("job", 200, 2_000);
        List<StreamedAttempt> attempts = s.attempts().orElseThrow();
        assertThat(attempts).extracting(StreamedAttempt::task, StreamedAttempt::attempt, StreamedAttempt::slot,
                StreamedAttempt::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(0, 1, 0, AttemptOutcome.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple(1, 1, 1, AttemptOutcome.RETRIED),
                org.assertj.core.groups.Tuple.tuple(1, 2, 0, AttemptOutcome.RUNNING));
        assertThat(attempts.get(2).endMs()).isEqualTo(-1);
        assertThat(s.lanes()).extracting(TaskStream.Lane::agentId, TaskStream.Lane::slot)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a1", 0), org.assertj.core.groups.Tuple.tuple("a1", 1));
        assertThat(s.buckets()).isBetween(1, 200);
        assertThat(sum(s.lanes().get(0).counts(AttemptOutcome.SUCCEEDED))).isPositive();
        assertThat(sum(s.lanes().get(0).counts(AttemptOutcome.RUNNING))).isPositive();
        assertThat(sum(s.lanes().get(1).counts(AttemptOutcome.RETRIED))).isPositive();
    }

    @Test
    void aReassignedRunningAttemptWasLostAndAnAdoptedOneIsRecordedFromItsRunTime() {
        TaskStreamRecorder r = new TaskStreamRecorder(clock, 1_000);
        r.assigned(1, "a1", "job", 0, 10);
        clock.advance(java.time.Duration.ofSeconds(5));
        r.assigned(1, "a2", "job", 0, 20);
        r.finished(1, "a3", "job", 7, 30, AttemptOutcome.SUCCEEDED, 2_000);

        List<StreamedAttempt> attempts = r.stream("job", 10, 2_000).attempts().orElseThrow();
        assertThat(attempts).extracting(StreamedAttempt::agentId, StreamedAttempt::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a1", AttemptOutcome.LOST),
                org.assertj.core.groups.Tuple.tuple("a2", AttemptOutcome.RUNNING),
                org.assertj.core.groups.Tuple.tuple("a3", AttemptOutcome.SUCCEEDED));
        assertThat(attempts.get(2).slot()).isEqualTo(-1);
        assertThat(attempts.get(2).endMs() - attempts.get(2).startMs()).isEqualTo(2_000);
    }

    @Test
    void theBoundDropsTheOldestJobsFirstAndANewTermStartsEmpty() {
        TaskStreamRecorder r = new TaskStreamRecorder(clock, 100);
        for (int t = 0; t < 60; t++) {
            r.assigned(1, "a1", "old", t, t);
        }
        for (int t = 0; t < 60; t++) {
            r.assigned(1, "a1", "new", t, 1_000 + t);
        }
        assertThat(r.size()).isEqualTo(60);
        assertThat(r.stream("old", 10, 2_000).totalAttempts()).isZero();
        for (int t = 60; t < 150; t++) {
            r.assigned(1, "a1", "new", t, 1_000 + t);
        }
        TaskStream big = r.stream("new", 10, 50);
        assertThat(big.totalAttempts()).isEqualTo(100);
        assertThat(big.truncated()).isTrue();
        assertThat(big.attempts()).isEmpty();

        r.assigned(2, "a1", "other", 0, 5);
        assertThat(r.size()).isEqualTo(1);
        assertThat(r.stream("new", 10, 50).totalAttempts()).isZero();
    }

    @Test
    void aReportedTaskIndexOutOfRangeIsIgnored() {
        TaskStreamRecorder r = new TaskStreamRecorder(clock, 1_000);
        r.finished(1, "a1", "job", Integer.MAX_VALUE, 1, AttemptOutcome.SUCCEEDED, 5);
        r.finished(1, "a1", "job", -1, 2, AttemptOutcome.SUCCEEDED, 5);
        assertThat(r.size()).isZero();
    }

    @Test
    void aLargeJobIsFoldedIntoAtMostTheBucketsAsked() {
        TaskStreamRecorder r = new TaskStreamRecorder(clock);
        for (int t = 0; t < 100_000; t++) {
            r.assigned(1, "a" + (t % 20), "big", t, t);
            clock.advance(java.time.Duration.ofMillis(1));
            r.finished(1, "a" + (t % 20), "big", t, t, AttemptOutcome.SUCCEEDED, 1);
        }
        long start = System.nanoTime();
        TaskStream s = r.stream("big", 200, 2_000);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(s.buckets()).isLessThanOrEqualTo(200);
        assertThat(s.totalAttempts()).isEqualTo(100_000);
        assertThat(s.attempts()).isEmpty();
        assertThat(s.lanes()).hasSize(20);
        long counted = s.lanes().stream().mapToLong(l -> sum(l.counts(AttemptOutcome.SUCCEEDED))).sum();
        assertThat(counted).isGreaterThanOrEqualTo(100_000);
        assertThat(tookMs).as("aggregation of 100,000 attempts").isLessThan(2_000);
    }

    private static long sum(int[] counts) {
        long n = 0;
        for (int c : counts) {
            n += c;
        }
        return n;
    }
}
