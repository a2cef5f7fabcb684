package io.drover.agent.logs;

import io.drover.agent.platform.NamedThreads;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the coordinator's {@link LogRequest}s off the heartbeat threads: two reader threads read
 * the piece and hand it to {@code deliver} (a call to the coordinator). A request that cannot be
 * queued or delivered is dropped: the reader on the coordinator side times out and asks again.
 */
public final class LogAnswers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogAnswers.class);
    private static final int THREADS = 2;
    private static final int QUEUE = 256;

    private final String agentId;
    private final LogReader reader;
    private final Consumer<LogPiece> deliver;
    private final ThreadPoolExecutor pool;

    public LogAnswers(String agentId, LogReader reader, Consumer<LogPiece> deliver) {
        this.agentId = agentId;
        this.reader = reader;
        this.deliver = deliver;
        this.pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                new NamedThreads("drover-" + agentId + "-logs", true));
        pool.allowCoreThreadTimeOut(true);
    }

    /** Queues the request; returns at once. */
    public void answer(LogRequest request) {
        try {
            pool.execute(() -> answerNow(request));
        } catch (RejectedExecutionException e) {
            log.warn("agent {}: dropped log request {} for task {} of job {}: {} requests queued already (or closing)",
                    agentId, request.requestId(), request.task(), request.jobId(), QUEUE);
        }
    }

    private void answerNow(LogRequest request) {
        LogPiece piece = reader.read(request);
        try {
            deliver.accept(piece);
        } catch (RuntimeException e) {
            // The coordinator's reader stops waiting and asks again; nothing here needs to be kept.
            log.debug("agent {}: could not deliver log request {}: {}", agentId, request.requestId(), e.toString());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
