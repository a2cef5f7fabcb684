package io.drover.coordinator.store;

/** The store could not do what was asked: ZooKeeper unreachable, or data that does not parse. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
