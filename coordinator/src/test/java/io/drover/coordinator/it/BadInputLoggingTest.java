package io.drover.coordinator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Garbage on the port must not fill the coordinator's log: a line a minute per address, no stack traces. */
class BadInputLoggingTest {
    private TestingServer zk;
    private CoordinatorServer coordinator;
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void start() throws Exception {
        zk = new TestingServer(true);
        coordinator = new CoordinatorServer(CoordinatorConfig.defaults(zk.getConnectString()).withListen("127.0.0.1", 0)
                .withSessionTimeout(Duration.ofSeconds(3)), Clock.systemUTC()).start();
        await().atMost(Duration.ofSeconds(20)).until(coordinator::isLeader);
        events.start();
        root.addAppender(events);
    }

    @AfterEach
    void stop() throws Exception {
        root.detachAppender(events);
        coordinator.close();
        zk.close();
    }

    @Test
    void badFramesAreLoggedOnceAMinuteWithoutStackTraces() throws Exception {
        Random random = new Random(7);
        int[] lengths = {Integer.MAX_VALUE, -1, 0, 64 * 1024 * 1024};
        for (int i = 0; i < 200; i++) {
            byte[] body = new byte[1 + random.nextInt(200)];
            random.nextBytes(body);
            body[0] = 0; // not the compact protocol id: undecodable for sure
            byte[] frame = i % 2 == 0
                    ? ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array() // garbage body
                    : ByteBuffer.allocate(4).putInt(lengths[i % lengths.length]).array();      // bad length
            sendAndAwaitClose(frame);
        }
        List<ILoggingEvent> warnings = events.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
        assertThat(warnings).as("first of them: %s", warnings.stream().limit(3).toList()).hasSizeLessThanOrEqualTo(2);
        assertThat(warnings).allMatch(e -> e.getThrowableProxy() == null, "no stack traces");
    }

    private void sendAndAwaitClose(byte[] frame) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", coordinator.port()), 2_000);
            s.getOutputStream().write(frame);
            s.setSoTimeout(2_000);
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // an error reply, if any, then the close
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the coordinator kept a connection open after a bad frame", e);
        } catch (IOException e) {
            // reset: closed all the same
        }
    }
}
