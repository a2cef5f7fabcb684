package io.drover.sdk;

/** What a fire does while an earlier run of the same schedule is still running. */
public enum OverlapPolicy {
    /** Start the new run anyway. */
    ALLOW,
    /** Skip the fire; the history records it as SKIPPED_OVERLAP. */
    FORBID,
    /** Cancel the earlier run, then start the new one. */
    REPLACE
}
