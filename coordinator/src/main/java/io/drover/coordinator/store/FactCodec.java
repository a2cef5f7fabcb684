package io.drover.coordinator.store;

import io.drover.coordinator.core.Fact;
import io.drover.coordinator.core.JobState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binary form of facts in ZooKeeper. Explicit and versioned (never Java serialization): a leader
 * of the next release must read what this one wrote. Add fields only at the end of a record,
 * behind a version bump; readers take every version from {@link #OLDEST_VERSION} on.
 *
 * <p>Versions: 1 the first; 2 adds the job's disconnect override ({@code lostAfterMs}) at the end of a
 * job definition, and the agent silence facts; 3 adds the JVM job's isolation after it; 4 ends a
 * job definition with tagged extensions (count, then name + length-prefixed payload each), so an
 * optional job setting is added as a new tag without another version bump (a reader skips tags it
 * does not know). Version 4 tags: {@code environment} and {@code workingDirectory} of process jobs;
 * {@code secretEnvironment} (sealed values only, never plaintext) since issue 13; {@code constraints}
 * and {@code spreadLabel} (placement, {@link PlacementCodec}) since issue 17; {@code backups} (one
 * boolean, written only when it differs from the job kind's default) since issue 17's straggler backups.
 * 5 ends task commits and failures with the attempts used, and adds the task retry fact, so retry
 * budgets and backoffs survive a failover (read from older batches as no attempts recorded).
 * 6 adds the job's result codec fact (the codec name its code declared, once per job).
 * 7 adds the committed run (see {@link CommittedRuns}): task commits of one job that stand together in
 * a turn or a snapshot, as one entry of task deltas, attempt id deltas, counts and values in
 * variable-length integers, read back as the same {@link Fact.TaskCommitted}s. A batch's count is
 * of its entries.
 * 8 adds job dependencies (tag {@code dependencies}: count, then upstream job id and condition each,
 * then what a failed upstream does to the job) and the SKIPPED job end. The tag alone would need no
 * bump, but a release that skipped it would start a waiting job at once and could not read a
 * SKIPPED end: the bump makes such a release refuse the log with a clear message instead.
 * 9 adds per-owner quotas: the quota set fact (owner, max running or -1 for no cap, weight) and the
 * quota removed fact (owner). A release that skipped them would ignore the caps and shares.
 * 10 ends task commits and job ends with an optional result blob reference (a flag byte, then the
 * blob's SHA-256 and size): a result too large to keep inline lives in the store's blobs.
 */
final class FactCodec {
    private static final int VERSION = 10;
    /** Task commits and job ends carry an optional result blob from this version on. */
    private static final int FIRST_VERSION_WITH_RESULT_BLOBS = 10;
    private static final int FIRST_VERSION_WITH_COMMITTED_RUNS = 7;
    /** Dependencies and SKIPPED ends are written from this version on (see the class comment). */
    static final int FIRST_VERSION_WITH_DEPENDENCIES = 8;
    private static final int FIRST_VERSION_WITH_ATTEMPTS = 5;
    /** A batch starts with its version (1 byte) and its count of facts (4 bytes). */
    static final int BATCH_HEADER_BYTES = 5;
    static final int FIRST_VERSION_WITH_EXTENSIONS = 4;
    private static final int OLDEST_VERSION = 1;
    private static final byte JOB_ACCEPTED = 1;
    private static final byte TASK_COMMITTED = 2;
    private static final byte TASK_FAILED = 3;
    private static final byte JOB_ENDED = 4;
    private static final byte AGENT_REGISTERED = 5;
    private static final byte AGENT_FORGOTTEN = 6;
    private static final byte SCHEDULE_CHANGED = 7;
    private static final byte AGENT_SILENT = 8; // version 2
    private static final byte AGENT_HEARD = 9; // version 2
    private static final byte TASK_RETRIED = 10; // version 5
    private static final byte JOB_RESULT_CODEC = 11; // version 6
    private static final byte COMMITTED_RUN = 12; // version 7
    private static final byte QUOTA_SET = 13; // version 9
    private static final byte QUOTA_REMOVED = 14; // version 9

    private FactCodec() {
    }

    static byte[] encode(List<Fact> facts) {
        List<byte[]> encoded = new ArrayList<>(facts.size());
        for (CommittedRuns.Entry e : CommittedRuns.group(facts)) {
            encoded.add(encodeEntry(e));
        }
        return batch(encoded);
    }

    /** One entry's bytes inside a batch (a fact, or a run of commits): its exact share of a batch's size. */
    static byte[] encodeEntry(CommittedRuns.Entry entry) {
        if (entry instanceof CommittedRuns.Single s) {
            return encodeOne(s.fact());
        }
        CommittedRuns.Run run = (CommittedRuns.Run) entry;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + run.commits().size() * 6);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            CommittedRunCodec.write(out, run, COMMITTED_RUN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** One fact's bytes inside a batch: its exact share of a batch's size. */
    static byte[] encodeOne(Fact f) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out, f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A batch of facts already encoded with {@link #encodeOne}: {@link #BATCH_HEADER_BYTES} + their bytes. */
    static byte[] batch(List<byte[]> encodedFacts) {
        int size = BATCH_HEADER_BYTES;
        for (byte[] f : encodedFacts) {
            size += f.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put((byte) VERSION).putInt(encodedFacts.size());
        encodedFacts.forEach(out::put);
        return out.array();
    }

    static List<Fact> decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int version = in.readUnsignedByte();
            if (version < OLDEST_VERSION || version > VERSION) {
                throw new StoreException("fact batch has version " + version + ", this release reads "
                        + OLDEST_VERSION + ".." + VERSION);
            }
            int n = in.readInt();
            if (n < 0 || n > in.available()) {
                throw new StoreException("fact batch claims " + n + " entries in " + in.available() + " bytes");
            }
            List<Fact> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                if (version >= FIRST_VERSION_WITH_COMMITTED_RUNS && peekTag(in) == COMMITTED_RUN) {
                    in.readByte();
                    CommittedRunCodec.read(in, out);
                } else {
                    out.add(read(in, version));
                }
            }
            return out;
        } catch (IOException e) {
            throw new StoreException("corrupt fact batch", e);
        }
    }

    private static byte peekTag(DataInputStream in) throws IOException {
        in.mark(1);
        byte tag = in.readByte();
        in.reset();
        return tag;
    }

    private static void write(DataOutputStream out, Fact f) throws IOException {
        if (f instanceof Fact.JobAccepted a) {
            out.writeByte(JOB_ACCEPTED);
            DefinitionCodec.writeDefinition(out, a.definition());
        } else if (f instanceof Fact.TaskCommitted c) {
            out.writeByte(TASK_COMMITTED);
            out.writeUTF(c.jobId());
            out.writeInt(c.task());
            out.writeLong(c.attemptId());
            writeBytes(out, c.value());
            out.writeInt(c.attempts()); // version 5
            QuotaAndBlobCodec.writeBlob(out, c.blob()); // version 10
        } else if (f instanceof Fact.TaskFailed t) {
            out.writeByte(TASK_FAILED);
            out.writeUTF(t.jobId());
            out.writeInt(t.task());
            writeString(out, t.error());
            out.writeInt(t.attempts()); // version 5
        } else if (f instanceof Fact.TaskRetried r) {
            out.writeByte(TASK_RETRIED);
            out.writeUTF(r.jobId());
            out.writeInt(r.task());
            out.writeLong(r.attemptId());
            out.writeInt(r.attempts());
            out.writeLong(r.retryAtMs());
            writeString(out, r.error());
        } else if (f instanceof Fact.JobResultCodec c) {
            out.writeByte(JOB_RESULT_CODEC);
            out.writeUTF(c.jobId());
            writeString(out, c.codec());
        } else if (f instanceof Fact.AgentRegistered r) {
            out.writeByte(AGENT_REGISTERED);
            writeString(out, r.agentId());
            writeString(out, r.host());
            out.writeInt(r.slots());
            out.writeInt(r.labels().size());
            for (Map.Entry<String, String> e : r.labels().entrySet()) {
                writeString(out, e.getKey());
                writeString(out, e.getValue());
            }
        } else if (f instanceof Fact.ScheduleChanged s) {
            out.writeByte(SCHEDULE_CHANGED);
            ScheduleCodec.write(out, s.change());
        } else if (f instanceof Fact.AgentForgotten g) {
            out.writeByte(AGENT_FORGOTTEN);
            writeString(out, g.agentId());
        } else if (f instanceof Fact.AgentSilent s) {
            out.writeByte(AGENT_SILENT);
            writeString(out, s.agentId());
            out.writeLong(s.silentSinceMs());
            out.writeInt(s.attempts().size());
            for (Fact.HeldAttempt a : s.attempts()) {
                out.writeLong(a.attemptId());
                writeString(out, a.jobId());
                out.writeInt(a.task());
            }
        } else if (f instanceof Fact.AgentHeard h) {
            out.writeByte(AGENT_HEARD);
            writeString(out, h.agentId());
        } else if (f instanceof Fact.QuotaSet q) {
            out.writeByte(QUOTA_SET);
            QuotaAndBlobCodec.writeQuota(out, q.quota());
        } else if (f instanceof Fact.QuotaRemoved q) {
            out.writeByte(QUOTA_REMOVED);
            out.writeUTF(q.owner());
        } else if (f instanceof Fact.JobEnded e) {
            out.writeByte(JOB_ENDED);
            out.writeUTF(e.jobId());
            out.writeUTF(e.state().name());
            writeString(out, e.error());
            writeBytes(out, e.result());
            out.writeLong(e.endedAtMs());
            QuotaAndBlobCodec.writeBlob(out, e.resultBlob()); // version 10
        } else {
            throw new IllegalArgumentException("unknown fact " + f);
        }
    }

    private static Fact read(DataInputStream in, int version) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case JOB_ACCEPTED:
                return new Fact.JobAccepted(DefinitionCodec.readDefinition(in, version));
            case TASK_COMMITTED:
                return new Fact.TaskCommitted(in.readUTF(), in.readInt(), in.readLong(), readBytes(in),
                        version >= FIRST_VERSION_WITH_ATTEMPTS ? in.readInt() : 0, readBlob(in, version));
            case TASK_FAILED:
                return new Fact.TaskFailed(in.readUTF(), in.readInt(), readString(in),
                        version >= FIRST_VERSION_WITH_ATTEMPTS ? in.readInt() : 0);
            case TASK_RETRIED:
                return new Fact.TaskRetried(in.readUTF(), in.readInt(), in.readLong(), in.readInt(), in.readLong(),
                        readString(in));
            case JOB_ENDED:
                return new Fact.JobEnded(in.readUTF(), JobState.valueOf(in.readUTF()), readString(in), readBytes(in),
                        in.readLong(), readBlob(in, version));
            case JOB_RESULT_CODEC:
                return new Fact.JobResultCodec(in.readUTF(), readString(in));
            case AGENT_REGISTERED: {
                String id = readString(in);
                String host = readString(in);
                int slots = in.readInt();
                int n = in.readInt();
                Map<String, String> labels = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    labels.put(readString(in), readString(in));
                }
                return new Fact.AgentRegistered(id, host == null ? "" : host, slots, labels);
            }
            case SCHEDULE_CHANGED:
                return new Fact.ScheduleChanged(ScheduleCodec.read(in, version));
            case AGENT_FORGOTTEN:
                return new Fact.AgentForgotten(readString(in));
            case AGENT_SILENT: {
                String id = readString(in);
                long since = in.readLong();
                int n = in.readInt();
                List<Fact.HeldAttempt> held = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    held.add(new Fact.HeldAttempt(in.readLong(), readString(in), in.readInt()));
                }
                return new Fact.AgentSilent(id, since, held);
            }
            case AGENT_HEARD:
                return new Fact.AgentHeard(readString(in));
            case QUOTA_SET:
                return new Fact.QuotaSet(QuotaAndBlobCodec.readQuota(in));
            case QUOTA_REMOVED:
                return new Fact.QuotaRemoved(in.readUTF());
            default:
                throw new StoreException("unknown fact tag " + tag);
        }
    }

    private static io.drover.coordinator.core.ResultBlob readBlob(DataInputStream in, int version) throws IOException {
        return QuotaAndBlobCodec.readBlob(in, version >= FIRST_VERSION_WITH_RESULT_BLOBS);
    }

    /** Strings may exceed writeUTF's 64 KiB limit (error texts), so they go as length + UTF-8. */
    static void writeString(DataOutputStream out, String s) throws IOException {
        writeBytes(out, s == null ? null : s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String readString(DataInputStream in) throws IOException {
        byte[] b = readBytes(in);
        return b == null ? null : new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(b.length);
        out.write(b);
    }

    static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    static void writeList(DataOutputStream out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            writeString(out, s);
        }
    }

    static List<String> readList(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(readString(in));
        }
        return out;
    }
}
