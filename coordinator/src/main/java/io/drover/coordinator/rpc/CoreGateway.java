package io.drover.coordinator.rpc;

import io.drover.coordinator.leader.LeaderTerm;
import io.drover.coordinator.leader.Leadership;

import io.drover.coordinator.core.Response;
import io.drover.coordinator.engine.EventFailedException;
import io.drover.coordinator.engine.LeadershipLostException;
import io.drover.coordinator.store.StoreException;
import io.drover.protocol.thrift.InvalidRequest;
import io.drover.protocol.thrift.NotLeader;
import io.drover.protocol.thrift.Unavailable;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.apache.thrift.TException;
import org.apache.thrift.async.AsyncMethodCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints' one way into the leader: {@link CoreAsk}s for the core loop, blocking store work
 * on a small I/O pool, and the translation of failures into the wire's exceptions. Nothing here
 * blocks a Thrift thread: answers are sent from the core's thread or the I/O pool when they come.
 *
 * <p>Each call answers errors itself (a standby answers {@link NotLeader} naming the leader; the
 * core's rejections become {@link InvalidRequest}; store trouble becomes {@link Unavailable}); the
 * {@code ...Then} variants return a future that completes only with a real answer, for the caller
 * to continue with.
 */
final class CoreGateway {
    private static final Logger log = LoggerFactory.getLogger(CoreGateway.class);

    /** Blocking work against the current leadership term (artifact reads and writes). */
    @FunctionalInterface
    interface IoWork<R> {
        R run(LeaderTerm term);
    }

    private final Leadership leadership;
    private final ExecutorService io;

    CoreGateway(Leadership leadership, ExecutorService io) {
        this.leadership = leadership;
        this.io = io;
    }

    /** The current term when this coordinator leads. */
    Optional<LeaderTerm> term() {
        return leadership.activeTerm();
    }

    /** Asks the core and answers {@code done} with {@code map} of its answer. */
    <R extends Response, T> void answer(AsyncMethodCallback<T> done, CoreAsk<R> ask, Function<R, T> map) {
        askThen(done, ask).thenAccept(answer -> reply(done, answer, map));
    }

    /**
     * As {@link #answer}, but maps and replies on the I/O pool: the core completes its answers on its own thread,
     * and a large answer (every task of a job, a task stream) would otherwise be built and serialized there,
     * holding up scheduling for as long.
     */
    <R extends Response, T> void answerOffLoop(AsyncMethodCallback<T> done, CoreAsk<R> ask, Function<R, T> map) {
        askThen(done, ask).thenAcceptAsync(answer -> reply(done, answer, map), io).exceptionally(e -> {
            done.onError(translate(e)); // the pool refused the work: its queue is full, or the coordinator stops
            return null;
        });
    }

    private static <R, T> void reply(AsyncMethodCallback<T> done, R answer, Function<R, T> map) {
        T value;
        try {
            value = map.apply(answer);
        } catch (RuntimeException e) {
            internalError(done, e);
            return;
        }
        done.onComplete(value);
    }

    /** Asks the core; errors and rejections are answered on {@code done}. */
    <R extends Response> CompletableFuture<R> askThen(AsyncMethodCallback<?> done, CoreAsk<R> ask) {
        CompletableFuture<R> result = new CompletableFuture<>();
        var term = leadership.activeTerm();
        if (term.isEmpty()) {
            done.onError(notLeader());
            return result;
        }
        var loop = term.get().loop();
        loop.offer(id -> ask.event().make(id, loop.nowMs())).whenComplete((response, error) -> {
            if (error != null) {
                done.onError(translate(error));
            } else if (response instanceof Response.Rejected r) {
                done.onError(new InvalidRequest(r.message()));
            } else {
                R typed;
                try {
                    typed = ask.typed(response);
                } catch (IllegalStateException e) {
                    internalError(done, e);
                    return;
                }
                result.complete(typed);
            }
        });
        return result;
    }

    /** Runs blocking store work off the Thrift threads and answers with its value. */
    <T> void onIo(AsyncMethodCallback<T> done, IoWork<T> work) {
        onIoThen(done, work).thenAccept(done::onComplete);
    }

    /** Runs blocking store work off the Thrift threads; errors are answered on {@code done}. */
    <R> CompletableFuture<R> onIoThen(AsyncMethodCallback<?> done, IoWork<R> work) {
        CompletableFuture<R> result = new CompletableFuture<>();
        var term = leadership.activeTerm();
        if (term.isEmpty()) {
            done.onError(notLeader());
            return result;
        }
        try {
            CompletableFuture.supplyAsync(() -> work.run(term.get()), io).whenComplete((value, error) -> {
                if (error != null) {
                    done.onError(translate(error));
                } else {
                    result.complete(value);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.onError(translate(e));
        }
        return result;
    }

    /** The wire's exception for a failure inside the coordinator. */
    Exception translate(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof IllegalArgumentException) {
            return new InvalidRequest(e.getMessage());
        }
        if (e instanceof DeniedException) {
            return new io.drover.protocol.thrift.AccessDenied(e.getMessage());
        }
        if (e instanceof LeadershipLostException) {
            return notLeader();
        }
        if (e instanceof EventFailedException) { // logged once by the core loop
            return new Unavailable(e.getMessage());
        }
        if (e instanceof StoreException) {
            return new Unavailable(e.getMessage());
        }
        if (e instanceof TException t) {
            return t;
        }
        if (e instanceof java.util.concurrent.RejectedExecutionException) { // the I/O pool's queue is full, or it stops
            return new Unavailable("coordinator busy: too many large answers and artifact transfers queued; retry");
        }
        log.error("unexpected error serving a request", e);
        return new Unavailable("internal error: " + e);
    }

    NotLeader notLeader() {
        NotLeader n = new NotLeader("coordinator " + leadership.coordinatorId() + " is not the leader");
        leadership.leaderHint().ifPresent(n::setLeaderEndpoint);
        return n;
    }

    private static void internalError(AsyncMethodCallback<?> done, RuntimeException e) {
        log.error("failed to answer a request", e);
        done.onError(new Unavailable("internal error: " + e));
    }
}
