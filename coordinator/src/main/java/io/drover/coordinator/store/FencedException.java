package io.drover.coordinator.store;

/** A write was refused because a newer leader took a newer epoch: this coordinator is deposed. */
public final class FencedException extends StoreException {
    public FencedException(long epoch) {
        super("epoch " + epoch + " is no longer current: a newer leader exists");
    }
}
