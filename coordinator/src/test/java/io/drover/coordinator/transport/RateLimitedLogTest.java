package io.drover.coordinator.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger("RateLimitedLogTest");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final AtomicLong clock = new AtomicLong(5_000_000);
    private final RateLimitedLog log = new RateLimitedLog(logger, clock::get);

    RateLimitedLogTest() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(lines);
    }

    @Test
    void oneLinePerAddressPerMinuteWithTheCountLeftOut() throws Exception {
        InetAddress a = InetAddress.getByName("10.0.0.1");
        InetAddress b = InetAddress.getByName("10.0.0.2");
        for (int i = 0; i < 1000; i++) {
            log.warn(a, "bad frame");
            clock.addAndGet(10);
        }
        log.warn(b, "bad frame");
        assertThat(lines.list).hasSize(2);

        clock.addAndGet(RateLimitedLog.WINDOW_MS);
        log.warn(a, "bad frame");
        assertThat(lines.list).hasSize(3);
        assertThat(lines.list.get(2).getFormattedMessage()).startsWith("10.0.0.1: bad frame (999 more from this address");
        assertThat(lines.list).allMatch(e -> e.getThrowableProxy() == null);
    }
}
