package io.drover.coordinator.engine;

/**
 * The core failed to apply one event (a bug, not bad input: bad input is refused before). Only
 * that event's caller sees it; the core loop keeps leading.
 */
public final class EventFailedException extends RuntimeException {
    public EventFailedException(String eventKind, Throwable cause) {
        super("internal error: the coordinator could not apply this " + eventKind + " request (" + cause + ")", cause);
    }
}
