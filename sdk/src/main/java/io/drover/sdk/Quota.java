package io.drover.sdk;

/**
 * An owner's quota as the leader applies it ({@link DroverClient#quotas()}), with the owner's tasks now.
 * Owner {@value #DEFAULT_OWNER} is the default entry: it applies, separately, to each owner without
 * an entry of its own.
 *
 * @param owner the owner (a token subject), or {@value #DEFAULT_OWNER}
 * @param maxRunning the most tasks it may run at once across its jobs; {@value #NO_CAP}: no cap
 * @param weight its fair-share weight (1..10000): with work waiting everywhere, owners' running tasks
 *        converge to the ratio of their weights
 * @param explicit the owner has an entry of its own (false: the default entry applies to it)
 * @param running its running tasks now
 * @param ready its tasks ready to start now (0 in the answers to set and remove)
 */
public record Quota(String owner, int maxRunning, int weight, boolean explicit, int running, int ready) {
    /** The owner name of the default entry. */
    public static final String DEFAULT_OWNER = "*";
    /** {@link #maxRunning()} of an owner without a cap. */
    public static final int NO_CAP = -1;
}
