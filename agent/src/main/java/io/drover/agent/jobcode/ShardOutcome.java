package io.drover.agent.jobcode;

/** How running job code ended, before the executor turns it into a reported outcome. */
public sealed interface ShardOutcome {
    /** The encoded result, within the size limit. */
    record Succeeded(byte[] value) implements ShardOutcome {
    }

    /** The job threw or returned something unusable; retried per the job's policy. */
    record Failed(String error) implements ShardOutcome {
    }
}
