package io.drover.coordinator.rpc;

/** A refusal raised inside work on the I/O pool; {@link CoreGateway} answers it as AccessDenied. */
final class DeniedException extends RuntimeException {
    DeniedException(String message) {
        super(message, null, false, false);
    }
}
