package io.drover.coordinator.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.coordinator.core.PendingAction;
import io.drover.coordinator.core.PendingAction.JobOverride;
import io.drover.coordinator.core.PendingAction.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The operator's line for each situation DisconnectPolicyTest drives the core into (same values). */
class PendingActionTextTest {
    private static final long HOUR = 3_600_000;

    private static String text(Kind kind, int attempts, int requeuedWhenLost, int heldByPool, long lostInMs,
                               boolean byDisconnect, JobOverride... overrides) {
        return PendingActionText.describe(new PendingAction(kind, attempts, requeuedWhenLost, heldByPool, lostInMs,
                byDisconnect, List.of(overrides)));
    }

    @Test
    void suspectAndLostByThePoolsPolicy() {
        assertThat(text(Kind.SUSPECT, 3, 0, 3, 6_948_000, false))
                .isEqualTo("3 attempts left alone until LOST in 1h55m, then re-run elsewhere");
        assertThat(text(Kind.LOST, 0, 3, 0, -252_000, false)).isEqualTo("3 attempts re-run elsewhere");
        assertThat(text(Kind.SUSPECT, 1, 0, 1, 1_799_000, true))
                .isEqualTo("1 attempt left alone until LOST in 29m59s (connection dropped), then re-run elsewhere");
        assertThat(text(Kind.SUSPECT, 2, 0, 2, 4_790_000, false)).startsWith("2 attempts left alone until LOST in 1h19m");
    }

    @Test
    void jobOverridesNameTheJobAndTheFlagThatSetIt() {
        assertThat(text(Kind.SUSPECT, 3, 0, 2, 6_720_000, false, new JobOverride(1, 720_000, "j1-1", false, 1_200_000)))
                .isEqualTo("3 attempts left alone: 2 until LOST in 1h52m, then re-run elsewhere; 1 until re-run elsewhere"
                        + " in 12m (job j1-1 --lost-after 20m)");
        assertThat(text(Kind.LOST, 1, 1, 0, -1_000, false, new JobOverride(1, 3_589_000, "j1-1", false, HOUR)))
                .isEqualTo("1 attempt re-run elsewhere; 1 attempt left alone until re-run elsewhere in 59m49s"
                        + " (job j1-1 --lost-after 1h)");
        assertThat(text(Kind.SUSPECT, 2, 0, 0, 60_000, false, new JobOverride(2, 0, "j1-1", true, 30_000)))
                .isEqualTo("2 attempts left alone until re-run elsewhere now (job j1-1 and others --lost-after 30s)");
    }

    @Test
    void nothingHeldAndDraining() {
        assertThat(text(Kind.LOST, 0, 0, 0, -51_000, false)).isEqualTo("no attempts held; gets work again when heard from");
        assertThat(text(Kind.SUSPECT, 0, 0, 0, 5_000, false)).isEqualTo("no attempts held; LOST in 5s");
        assertThat(text(Kind.DRAINING, 2, 0, 0, 0, false)).isEqualTo("2 attempts finish here, no new work");
        assertThat(text(Kind.DRAINING, 0, 0, 0, 0, false)).isEqualTo("no attempts here, safe to stop");
    }
}
