package io.drover.agent.task;

/**
 * The coordinator answered but refused the request (unknown job, unknown artifact, malformed
 * field). Retrying the same request will not help, unlike
 * {@link io.drover.protocol.NoLeaderException}.
 */
public final class RequestRejectedException extends RuntimeException {
    public RequestRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
