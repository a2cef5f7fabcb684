package io.drover.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.task.AttemptRef;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.RunningAttempt;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A heartbeat names the attempts waiting in the agent's queue; the others go as older agents sent them. */
class ThriftMappingQueuedTest {
    @Test
    void onlyQueuedAttemptsCarryTheQueuedField() {
        HeartbeatCall call = new HeartbeatCall(List.of(), List.of(new AttemptRef(1, "j", 0), new AttemptRef(2, "j", 1)),
                0, false, Duration.ZERO, Set.of(2L));

        HeartbeatRequest request = ThriftMapping.request("a1", call, null);

        RunningAttempt running = request.getRunning().get(0);
        RunningAttempt queued = request.getRunning().get(1);
        assertThat(running.isSetQueued()).as("absent, as from an agent without queue-ahead").isFalse();
        assertThat(queued.isSetQueued()).isTrue();
        assertThat(queued.isQueued()).isTrue();
    }
}
