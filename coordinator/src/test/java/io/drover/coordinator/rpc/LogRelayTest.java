package io.drover.coordinator.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.protocol.thrift.LogChunk;
import io.drover.protocol.thrift.LogRequest;
import io.drover.protocol.thrift.LogStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogRelayTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final LogRelay relay = new LogRelay(timer);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private static LogChunk answer(LogRequest r, byte[] data) {
        return new LogChunk(r.getRequestId(), r.getJobId(), r.getTask(), 7, r.getStream(), r.getOffset(), ByteBuffer.wrap(data),
                true, data.length, false);
    }

    @Test
    void aRequestIsHandedToItsAgentOnceAndCompletedByItsAnswer() {
        CompletableFuture<LogChunk> reply = relay.request("a1", "j", 2, 7, LogStream.STDERR, 10, 100, 60_000);
        assertThat(relay.takeFor("a2")).isEmpty();
        List<LogRequest> handed = relay.takeFor("a1");
        assertThat(handed).singleElement().satisfies(r -> {
            assertThat(r.getJobId()).isEqualTo("j");
            assertThat(r.getTask()).isEqualTo(2);
            assertThat(r.getAttemptId()).isEqualTo(7);
            assertThat(r.getStream()).isEqualTo(LogStream.STDERR);
            assertThat(r.getOffset()).isEqualTo(10);
            assertThat(r.getMaxBytes()).isEqualTo(100);
        });
        assertThat(relay.takeFor("a1")).as("handed out once").isEmpty();

        assertThat(relay.deliver("a2", answer(handed.get(0), new byte[] {1}))).as("from another agent").isEqualTo(LogRelay.Delivery.NOT_YOURS);
        assertThat(relay.deliver("a1", answer(handed.get(0), new byte[] {1, 2}))).isEqualTo(LogRelay.Delivery.DELIVERED);
        assertThat(reply).isCompletedWithValueMatching(c -> c.getData().length == 2);
        assertThat(relay.deliver("a1", answer(handed.get(0), new byte[] {3}))).as("already answered").isEqualTo(LogRelay.Delivery.NOT_WAITING);
        assertThat(relay.waiting()).isZero();
        assertThat(relay.answered()).isEqualTo(1);
    }

    @Test
    void anUnansweredRequestEndsAfterItsWaitWithAnEmptyChunkAndIsNotHandedOutLater() {
        CompletableFuture<LogChunk> reply = relay.request("a1", "j", 0, 0, LogStream.STDOUT, 5, 100, 50);
        await().atMost(Duration.ofSeconds(5)).until(reply::isDone);
        LogChunk c = reply.join();
        assertThat(c.getSize()).isEqualTo(LogRelay.NO_ANSWER);
        assertThat(c.getData()).isEmpty();
        assertThat(c.getOffset()).isEqualTo(5);
        assertThat(c.isComplete()).isFalse();
        assertThat(relay.takeFor("a1")).isEmpty();
        assertThat(relay.timedOut()).isEqualTo(1);
    }

    @Test
    void moreBytesThanAskedForAreRefusedAndTooManyWaitingReadsAreTurnedAway() {
        relay.request("a1", "j", 0, 0, LogStream.STDOUT, 0, 1, 60_000);
        LogRequest r = relay.takeFor("a1").get(0);
        assertThatThrownBy(() -> relay.deliver("a1", answer(r, new byte[] {1, 2})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds the 1 bytes asked for");

        for (int i = 0; i < LogRelay.MAX_QUEUED_PER_AGENT; i++) {
            relay.request("busy", "j", 0, 0, LogStream.STDOUT, 0, 1, 60_000);
        }
        assertThatThrownBy(() -> relay.request("busy", "j", 0, 0, LogStream.STDOUT, 0, 1, 60_000))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("too many log reads are waiting for agent busy");
    }
}
