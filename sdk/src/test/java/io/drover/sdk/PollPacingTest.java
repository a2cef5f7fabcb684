package io.drover.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PollPacingTest {
    private static final long MS = 1_000_000;

    @Test
    void backsOffWhileNoTaskEnds() {
        PollPacing pacing = new PollPacing(20 * MS, 500 * MS);
        assertEquals(20 * MS, pacing.next(0, 0, 400));
        assertEquals(40 * MS, pacing.next(20 * MS, 0, 400));
        assertEquals(80 * MS, pacing.next(60 * MS, 0, 400));
        assertEquals(160 * MS, pacing.next(140 * MS, 0, 400));
        assertEquals(320 * MS, pacing.next(300 * MS, 0, 400));
        assertEquals(500 * MS, pacing.next(620 * MS, 0, 400));
        assertEquals(500 * MS, pacing.next(1120 * MS, 0, 400));
    }

    @Test
    void pollsSoonerAsTheExpectedEndNears() {
        PollPacing pacing = new PollPacing(20 * MS, 500 * MS);
        pacing.next(0, 0, 400);                                     // first poll: the rate's origin
        assertEquals(40 * MS, pacing.next(20 * MS, 0, 400));       // nothing ended yet: backoff
        assertEquals(80 * MS, pacing.next(1000 * MS, 80, 400));    // 80 tasks/s, 4 s left: backoff
        assertEquals(160 * MS, pacing.next(4000 * MS, 320, 400));  // 1 s to go: backoff still shorter
        // 4.9 s for 392 tasks (12.5 ms each), 8 left: ~100 ms to go, polls after half of that
        assertEquals(50 * MS, pacing.next(4900 * MS, 392, 400));
        // 1 left: 12.5 ms to go, but never sooner than the first pause
        assertEquals(20 * MS, pacing.next(4990 * MS, 399, 400));
    }

    @Test
    void everyTaskEndedIsNoReasonToHurry() {
        PollPacing pacing = new PollPacing(20 * MS, 500 * MS);
        pacing.next(0, 0, 10);
        assertEquals(40 * MS, pacing.next(20 * MS, 10, 10));
    }
}
