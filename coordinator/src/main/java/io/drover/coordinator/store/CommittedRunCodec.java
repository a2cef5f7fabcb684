package io.drover.coordinator.store;

import io.drover.coordinator.core.Fact;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * A run of task commits of one job in the fact log (version 7 on): task numbers and attempt ids as
 * variable-length deltas, so a group commit of consecutive shards costs a few bytes a task instead
 * of a record each. Reading checks every count against the bytes left: a corrupt run is refused.
 */
final class CommittedRunCodec {
    /** The value of every empty result read back: one array, not a million. */
    private static final byte[] EMPTY_VALUE = new byte[0];

    private CommittedRunCodec() {
    }

    static void write(DataOutputStream out, CommittedRuns.Run run, byte tag) throws IOException {
        out.writeByte(tag);
        out.writeUTF(run.jobId());
        out.writeInt(run.commits().size());
        int task = 0;
        long attemptId = 0;
        for (Fact.TaskCommitted c : run.commits()) {
            writeVarLong(out, c.task() - (long) task); // sorted: never negative
            writeVarLong(out, zigZag(c.attemptId() - attemptId));
            writeVarLong(out, c.attempts());
            writeVarLong(out, c.value() == null ? 0 : c.value().length + 1L);
            if (c.value() != null) {
                out.write(c.value());
            }
            task = c.task();
            attemptId = c.attemptId();
        }
    }

    /** Reads a run back into its commits; every count is checked against the bytes left. */
    static void read(DataInputStream in, List<Fact> out) throws IOException {
        String jobId = in.readUTF();
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new StoreException("committed run of job " + jobId + " claims " + n + " tasks in " + in.available() + " bytes");
        }
        long task = 0;
        long attemptId = 0;
        for (int i = 0; i < n; i++) {
            task += readVarLong(in);
            attemptId += unZigZag(readVarLong(in));
            long attempts = readVarLong(in);
            long length = readVarLong(in) - 1;
            if (task > Integer.MAX_VALUE || attempts > Integer.MAX_VALUE || length > in.available()) {
                throw new StoreException("corrupt committed run of job " + jobId + " at entry " + i);
            }
            byte[] value = null;
            if (length == 0) {
                value = EMPTY_VALUE;
            } else if (length > 0) {
                value = new byte[(int) length];
                in.readFully(value);
            }
            out.add(new Fact.TaskCommitted(jobId, (int) task, attemptId, value, (int) attempts));
        }
    }

    private static void writeVarLong(DataOutputStream out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    private static long readVarLong(DataInputStream in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new StoreException("corrupt variable-length integer in a fact batch");
    }

    private static long zigZag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unZigZag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }
}
