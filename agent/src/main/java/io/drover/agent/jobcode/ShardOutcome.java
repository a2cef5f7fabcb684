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

    /**
     * The encoded result was over the inline limit and went to the attempt's {@link ResultSpill} file
     * instead: its SHA-256 (lowercase hex) and size, and the codec's name as for {@link Succeeded}.
     */
    record Spilled(String sha256, long size, String codec) implements ShardOutcome {
    }

    /** The job threw or returned null; retried per the job's policy. */
    record Failed(String error) implements ShardOutcome {
    }

    /**
     * Another attempt would end the same way: a result over the size limit, a reduce input the job's
     * codec cannot decode. Reported as REJECTED, so the job fails at once instead of retrying.
     */
    record Rejected(String error) implements ShardOutcome {
    }
}
