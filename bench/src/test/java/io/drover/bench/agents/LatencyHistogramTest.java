package io.drover.bench.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void everyValueLandsInABucketWhoseUpperBoundHoldsItWithinFourPercent() {
        for (long us = 1; us < 50_000_000; us = us * 11 / 10 + 1) {
            int b = LatencyHistogram.bucket(us);
            long upper = LatencyHistogram.upperMicros(b);
            assertTrue(upper >= us, us + " above its bucket's bound " + upper);
            assertTrue(upper <= us + us / 16, us + " bucket bound too loose: " + upper);
            if (b > 0) {
                assertTrue(LatencyHistogram.upperMicros(b - 1) < us, us + " belongs in an earlier bucket");
            }
        }
    }

    @Test
    void quantilesOfAKnownSpread() {
        LatencyHistogram h = new LatencyHistogram();
        for (int ms = 1; ms <= 100; ms++) {
            h.recordNanos(ms * 1_000_000L);
        }
        assertEquals(100, h.count());
        assertEquals(50, h.quantileMillis(0.5), 50 * 0.07);
        assertEquals(99, h.quantileMillis(0.99), 99 * 0.07);
        assertTrue(h.quantileMillis(1.0) >= 100);
        h.reset();
        assertEquals(0, h.count());
        assertEquals(0, h.quantileMillis(0.99));
    }
}
