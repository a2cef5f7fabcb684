package io.drover.coordinator.core;

/**
 * Why a job's ready tasks wait although agents could run them: its owner is at its cap, other
 * owners are further below their share and get the next free slots, or no slot that fits is free.
 * ({@link PlacementWait} covers jobs no agent could ever run.) Values only; the coordinator words them.
 *
 * @param maxRunning the owner's cap ({@link Quota#NO_CAP}: none)
 * @param ownersAhead for SHARE: owners with ready work that are further below their share
 */
public record QueueWait(Reason reason, String owner, int running, int maxRunning, int weight, int ownersAhead) {
    public enum Reason {
        /** The owner runs as many tasks as its quota allows. */
        QUOTA,
        /** Other owners with ready work are further below their share: free slots go to them first. */
        SHARE,
        /** Waiting for a free slot that fits. */
        NO_SLOT
    }
}
