package io.drover.sdk;

/** What happens to fire times that passed while no coordinator led, or while the schedule was paused. */
public enum MisfirePolicy {
    /** One run as soon as possible, for the latest missed time; the history notes how many were missed. */
    FIRE_ONCE_NOW,
    /** No run; the history records the skip. */
    SKIP,
    /** One run per missed time, in order, at most {@link ScheduleSpec#maxCatchUp()} (the latest ones). */
    FIRE_ALL
}
