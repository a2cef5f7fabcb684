package io.drover.sdk;

/**
 * Why a job's ready tasks wait although agents could run them ({@link JobPlacement#queueWait()}).
 *
 * @param reason {@code QUOTA}: the owner runs as many tasks as its quota allows; {@code SHARE}: other
 *        owners with ready work are further below their fair share and get free slots first;
 *        {@code NO_SLOT}: waiting for a free slot that fits
 * @param owner the job's owner
 * @param running the owner's running tasks
 * @param maxRunning the owner's cap, {@link Quota#NO_CAP} for none
 * @param weight the owner's fair-share weight
 * @param ownersAhead for {@code SHARE}: how many owners are further below their share
 * @param summary the same, worded for people
 */
public record QueueWait(String reason, String owner, int running, int maxRunning, int weight, int ownersAhead,
                        String summary) {
}
