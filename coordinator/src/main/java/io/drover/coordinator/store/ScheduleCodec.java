package io.drover.coordinator.store;

import io.drover.coordinator.core.JobState;
import io.drover.coordinator.core.ScheduleChange;
import io.drover.coordinator.core.ScheduleDefinition;
import io.drover.coordinator.core.ScheduleRun;
import io.drover.coordinator.core.WorkflowJob;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binary form of {@link ScheduleChange}s inside a fact batch (see {@link FactCodec}). Enums are
 * written by name, so reordering them never changes what old batches mean. Schedules that run a
 * workflow, and their runs, have tags of their own ({@code SAVED_WORKFLOW}, {@code RAN_WORKFLOW}):
 * the records of one-job schedules keep the layout they always had, and no format version moves.
 */
final class ScheduleCodec {
    private static final byte SAVED = 1;
    private static final byte REMOVED = 2;
    private static final byte RAN = 3;
    private static final byte LAST_FIRE = 4;
    private static final byte SAVED_WORKFLOW = 5;
    private static final byte RAN_WORKFLOW = 6;
    /** As the core's bound on one workflow; a larger count is a corrupt record. */
    private static final int MAX_WORKFLOW_JOBS = 256;

    private ScheduleCodec() {
    }

    static void write(DataOutputStream out, ScheduleChange c) throws IOException {
        if (c instanceof ScheduleChange.Saved s) {
            ScheduleDefinition d = s.definition();
            out.writeByte(d.isWorkflow() ? SAVED_WORKFLOW : SAVED);
            FactCodec.writeString(out, d.id());
            FactCodec.writeString(out, d.cron());
            FactCodec.writeString(out, d.zone());
            if (d.isWorkflow()) {
                out.writeInt(d.workflow().size());
                for (WorkflowJob j : d.workflow()) {
                    FactCodec.writeString(out, j.ref());
                    DefinitionCodec.writeDefinition(out, j.definition());
                }
            } else {
                DefinitionCodec.writeDefinition(out, d.template());
            }
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
            out.writeByte(run.workflowJobs().isEmpty() ? RAN : RAN_WORKFLOW);
            FactCodec.writeString(out, run.scheduleId());
            out.writeLong(run.scheduledMs());
            out.writeLong(run.firedMs());
            out.writeUTF(run.status().name());
            FactCodec.writeString(out, run.jobId());
            FactCodec.writeString(out, run.note());
            FactCodec.writeString(out, run.outcome() == null ? null : run.outcome().name());
            out.writeLong(run.endedAtMs());
            if (!run.workflowJobs().isEmpty()) {
                out.writeInt(run.workflowJobs().size());
                for (Map.Entry<String, String> e : run.workflowJobs().entrySet()) {
                    FactCodec.writeString(out, e.getKey());
                    FactCodec.writeString(out, e.getValue());
                }
            }
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
                        FactCodec.readString(in), DefinitionCodec.readDefinition(in, version),
                        ScheduleDefinition.Misfire.valueOf(in.readUTF()), in.readInt(),
                        ScheduleDefinition.Overlap.valueOf(in.readUTF()), in.readBoolean(), in.readLong()));
            case SAVED_WORKFLOW: {
                String id = FactCodec.readString(in);
                String cron = FactCodec.readString(in);
                String zone = FactCodec.readString(in);
                int n = count(in);
                List<WorkflowJob> jobs = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    jobs.add(new WorkflowJob(FactCodec.readString(in), DefinitionCodec.readDefinition(in, version)));
                }
                return new ScheduleChange.Saved(new ScheduleDefinition(id, cron, zone, null,
                        ScheduleDefinition.Misfire.valueOf(in.readUTF()), in.readInt(),
                        ScheduleDefinition.Overlap.valueOf(in.readUTF()), in.readBoolean(), in.readLong(), jobs));
            }
            case REMOVED:
                return new ScheduleChange.Removed(FactCodec.readString(in));
            case RAN:
            case RAN_WORKFLOW: {
                String id = FactCodec.readString(in);
                long scheduled = in.readLong();
                long fired = in.readLong();
                ScheduleRun.Status status = ScheduleRun.Status.valueOf(in.readUTF());
                String jobId = FactCodec.readString(in);
                String note = FactCodec.readString(in);
                String outcome = FactCodec.readString(in);
                long ended = in.readLong();
                Map<String, String> workflowJobs = new LinkedHashMap<>();
                for (int i = 0, n = tag == RAN_WORKFLOW ? count(in) : 0; i < n; i++) {
                    workflowJobs.put(FactCodec.readString(in), FactCodec.readString(in));
                }
                return new ScheduleChange.Ran(new ScheduleRun(id, scheduled, fired, status, jobId, note,
                        outcome == null ? null : JobState.valueOf(outcome), ended, workflowJobs));
            }
            case LAST_FIRE:
                return new ScheduleChange.LastFire(FactCodec.readString(in), in.readLong());
            default:
                throw new StoreException("unknown schedule change tag " + tag);
        }
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 1 || n > MAX_WORKFLOW_JOBS) {
            throw new StoreException("a schedule's workflow of " + n + " jobs (1.." + MAX_WORKFLOW_JOBS + ")");
        }
        return n;
    }
}
