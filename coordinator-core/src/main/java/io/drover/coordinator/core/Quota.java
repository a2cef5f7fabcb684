package io.drover.coordinator.core;

/**
 * An owner's share of the grid: at most {@code maxRunning} running tasks across all its jobs
 * ({@link #NO_CAP}: no cap; 0 holds all its work back) and a {@code weight} for fair share (an
 * owner with weight 3 gets three times the running tasks of an owner with weight 1 when both have
 * work waiting). Owner {@link #DEFAULT_OWNER} is the entry for every owner without one of its own.
 * A task counts once, however many slots it asks for.
 */
public record Quota(String owner, int maxRunning, int weight) {
    public static final String DEFAULT_OWNER = "*";
    public static final int NO_CAP = -1;
    public static final int MAX_WEIGHT = 10_000;
    /** What an owner gets when neither it nor {@link #DEFAULT_OWNER} has an entry. */
    public static final Quota BUILT_IN = new Quota(DEFAULT_OWNER, NO_CAP, 1);

    public Quota {
        if (owner == null || owner.isBlank()) {
            throw new IllegalArgumentException("a quota needs an owner");
        }
        if (maxRunning < NO_CAP) {
            throw new IllegalArgumentException("max running must be >= 0 (or " + NO_CAP + " for no cap), was " + maxRunning);
        }
        if (weight < 1 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight must be 1.." + MAX_WEIGHT + ", was " + weight);
        }
    }

    public boolean capped() {
        return maxRunning != NO_CAP;
    }

    /** The same limits for another owner (the default entry as it applies to {@code name}). */
    Quota forOwner(String name) {
        return new Quota(name, maxRunning, weight);
    }
}
