package io.drover.agent.jobcode;

/** How running job code ended, before the executor turns it into a reported outcome. */
public sealed interface ShardOutcome {
    /**
     * The encoded result, within the size limit, and the name of the codec that encoded it when
     * it may be reported ({@link io.drover.protocol.ResultCodecNames#usable}), else null.
     */
    record Succeeded(byte[] value, String codec) implements ShardOutcome {
        /** A result whose codec name is not known. */
        public Succeeded(byte[] value) {
            this(value, null);
        }
    }

    /** The job threw or returned something unusable; retried per the job's policy. */
    record Failed(String error) implements ShardOutcome {
    }
}
