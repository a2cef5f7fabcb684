package io.drover.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.coordinator.core.DisconnectPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolPolicySpecTest {
    @Test
    void readsLostAfterGraceAndTheOfflineStopBound() {
        assertThat(PoolPolicySpec.parse("edge=2h/30m/stop=4h"))
                .isEqualTo(Map.entry("edge", new DisconnectPolicy(7_200_000, 1_800_000, 14_400_000)));
    }

    @Test
    void graceDefaultsToLostAfterAndAgentsKeepRunningByDefault() {
        assertThat(PoolPolicySpec.parse("edge=2h")).isEqualTo(Map.entry("edge", new DisconnectPolicy(7_200_000, 7_200_000, 0)));
        assertThat(PoolPolicySpec.parse("edge=2h/stop=3h").getValue())
                .isEqualTo(new DisconnectPolicy(7_200_000, 7_200_000, 10_800_000));
    }

    @Test
    void badSpecsAreRefusedWithTheSyntax() {
        assertThatThrownBy(() -> PoolPolicySpec.parse("edge")).hasMessageContaining("POOL=LOST_AFTER[/GRACE][/stop=STOP_AFTER]");
        assertThatThrownBy(() -> PoolPolicySpec.parse("edge=2h/30m/1h")).hasMessageContaining("'1h' is neither GRACE");
        assertThatThrownBy(() -> PoolPolicySpec.parse("edge=soon")).hasMessageContaining("'soon' is not a duration");
        assertThatThrownBy(() -> PoolPolicySpec.parse("edge=2h/stop=0s")).hasMessageContaining("stop= must be more than 0");
    }
}
