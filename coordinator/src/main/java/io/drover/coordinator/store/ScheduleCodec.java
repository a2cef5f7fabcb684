package io.drover.coordinator.store;

import io.drover.coordinator.core.JobState;
import io.drover.coordinator.core.ScheduleChange;
import io.drover.coordinator.core.ScheduleDefinition;
import io.drover.coordinator.core.ScheduleRun;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Binary form of {@link ScheduleChange}s inside a fact batch (see {@link FactCodec}). Enums are
 * written by name, so reordering them never changes what old batches mean.
 */
final class ScheduleCodec {
    private static final byte SAVED = 1;
    private static final byte REMOVED = 2;
    private static final byte RAN = 3;
    private static final byte LAST_FIRE = 4;

    private ScheduleCodec() {
    }

    static void write(DataOutputStream out, ScheduleChange c) throws IOException {
        if (c instanceof ScheduleChange.Saved s) {
            ScheduleDefinition d = s.definition();
            out.writeByte(SAVED);
            FactCodec.writeString(out, d.id());
            FactCodec.writeString(out, d.cron());
            FactCodec.writeString(out, d.zone());
            FactCodec.writeDefinition(out, d.template());
            out.writeUTF(d.misfire().name());
            out.writeInt(d.maxCatchUp());
            out.writeUTF(d.overlap().name());
            out.writeBoolean(d.paused());
            out.writeLong(d.createdAtMs());
        } else if (c instanceof ScheduleChange.Removed r) {
            out.writeByte(REMOVED);
            FactCodec.writeString(out, r.scheduleId());
        } else if (c instanceof ScheduleChange.Ran r) {
            ScheduleRun run = r.run();
            out.writeByte(RAN);
            FactCodec.writeString(out, run.scheduleId());
            out.writeLong(run.scheduledMs());
            out.writeLong(run.firedMs());
            out.writeUTF(run.status().name());
            FactCodec.writeString(out, run.jobId());
            FactCodec.writeString(out, run.note());
            FactCodec.writeString(out, run.outcome() == null ? null : run.outcome().name());
            out.writeLong(run.endedAtMs());
        } else if (c instanceof ScheduleChange.LastFire l) {
            out.writeByte(LAST_FIRE);
            FactCodec.writeString(out, l.scheduleId());
            out.writeLong(l.lastFireMs());
        } else {
            throw new IllegalArgumentException("unknown schedule change " + c);
        }
    }

    /** {@code version}: the fact batch's format version (see {@link FactCodec}). */
    static ScheduleChange read(DataInputStream in, int version) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case SAVED:
                return new ScheduleChange.Saved(new ScheduleDefinition(FactCodec.readString(in), FactCodec.readString(in),
                        FactCodec.readString(in), FactCodec.readDefinition(in, version),
                        ScheduleDefinition.Misfire.valueOf(in.readUTF()), in.readInt(),
                        ScheduleDefinition.Overlap.valueOf(in.readUTF()), in.readBoolean(), in.readLong()));
            case REMOVED:
                return new ScheduleChange.Removed(FactCodec.readString(in));
            case RAN: {
                String id = FactCodec.readString(in);
                long scheduled = in.readLong();
                long fired = in.readLong();
                ScheduleRun.Status status = ScheduleRun.Status.valueOf(in.readUTF());
                String jobId = FactCodec.readString(in);
                String note = FactCodec.readString(in);
                String outcome = FactCodec.readString(in);
                return new ScheduleChange.Ran(new ScheduleRun(id, scheduled, fired, status, jobId, note,
                        outcome == null ? null : JobState.valueOf(outcome), in.readLong()));
            }
            case LAST_FIRE:
                return new ScheduleChange.LastFire(FactCodec.readString(in), in.readLong());
            default:
                throw new StoreException("unknown schedule change tag " + tag);
        }
    }
}
