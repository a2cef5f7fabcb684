package io.drover.coordinator.store;

/** A leader's term: the epoch number and the ZooKeeper version that every fenced write checks. */
public record Epoch(long value, int zkVersion) {
}
