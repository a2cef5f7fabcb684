package io.drover.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.coordinator.core.Dependency;
import io.drover.coordinator.core.Fact;
import io.drover.coordinator.core.JobDefinition;
import io.drover.coordinator.core.JobState;
import io.drover.coordinator.core.ScheduleChange;
import io.drover.coordinator.core.ScheduleDefinition;
import io.drover.coordinator.core.ScheduleRun;
import io.drover.coordinator.core.WorkflowJob;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleCodecTest {
    /** The format version the codec writes now. */
    private static final int CURRENT = FactCodec.encode(List.of(new Fact.AgentHeard("a")))[0];

    private static JobDefinition job(String name, List<Dependency> deps) {
        JobDefinition d = new JobDefinition("template", name, "alice", "template/" + name, "JVM", "ab", 10, "x.Job",
                List.of(), 1, List.of(), List.of("1"), 1, 3, 0, false, 0, Map.of(), 0, 0);
        return deps.isEmpty() ? d : d.withDependencies(deps, Dependency.UpstreamFailure.SKIP);
    }

    private static ScheduleDefinition workflowSchedule() {
        return new ScheduleDefinition("etl", "0 0 2 * * ?", "Europe/Berlin", null, ScheduleDefinition.Misfire.FIRE_ALL, 5,
                ScheduleDefinition.Overlap.FORBID, true, 1234, List.of(new WorkflowJob("extract", job("extract", List.of())),
                new WorkflowJob("load", job("load", List.of(new Dependency("extract", Dependency.Condition.FINISHED))))));
    }

    @Test
    void workflowSchedulesAndTheirRunsRoundTripNextToOneJobSchedules() {
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("extract", "etl@20261207T020000Z.extract");
        ids.put("load", "etl@20261207T020000Z.load");
        List<Fact> facts = List.of(
                new Fact.ScheduleChanged(new ScheduleChange.Saved(workflowSchedule())),
                new Fact.ScheduleChanged(new ScheduleChange.Ran(new ScheduleRun("etl", 10, 11, ScheduleRun.Status.STARTED,
                        null, "late", JobState.FAILED, 99, ids))),
                new Fact.ScheduleChanged(new ScheduleChange.Saved(new ScheduleDefinition("one", "0 * * * * ?", "UTC",
                        job("one", List.of()), ScheduleDefinition.Misfire.SKIP, 1, ScheduleDefinition.Overlap.ALLOW, false, 7))),
                new Fact.ScheduleChanged(new ScheduleChange.Ran(new ScheduleRun("one", 10, 11, ScheduleRun.Status.MANUAL,
                        "one@x", null, null, 0))));
        byte[] bytes = FactCodec.encode(facts);
        assertThat(bytes[0]).as("no format version bump").isEqualTo((byte) CURRENT);
        List<Fact> back = FactCodec.decode(bytes);
        assertThat(back).isEqualTo(facts);
        ScheduleRun run = ((ScheduleChange.Ran) ((Fact.ScheduleChanged) back.get(1)).change()).run();
        assertThat(run.workflowJobs().keySet()).as("upstream order kept").containsExactly("extract", "load");
    }

    @Test
    void oneJobRecordsInTheLayoutOfBeforeStillRead() throws IOException {
        JobDefinition template = job("one", List.of());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buf);
        out.writeByte(1); // SAVED, as written before workflow schedules existed
        FactCodec.writeString(out, "one");
        FactCodec.writeString(out, "0 * * * * ?");
        FactCodec.writeString(out, "UTC");
        DefinitionCodec.writeDefinition(out, template);
        out.writeUTF("SKIP");
        out.writeInt(1);
        out.writeUTF("ALLOW");
        out.writeBoolean(false);
        out.writeLong(7);
        out.writeByte(3); // RAN
        FactCodec.writeString(out, "one");
        out.writeLong(10);
        out.writeLong(11);
        out.writeUTF("STARTED");
        FactCodec.writeString(out, "one@x");
        FactCodec.writeString(out, null);
        FactCodec.writeString(out, "SUCCEEDED");
        out.writeLong(12);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(buf.toByteArray()));
        assertThat(ScheduleCodec.read(in, CURRENT)).isEqualTo(new ScheduleChange.Saved(new ScheduleDefinition("one",
                "0 * * * * ?", "UTC", template, ScheduleDefinition.Misfire.SKIP, 1, ScheduleDefinition.Overlap.ALLOW, false, 7)));
        assertThat(ScheduleCodec.read(in, CURRENT)).isEqualTo(new ScheduleChange.Ran(new ScheduleRun("one", 10, 11,
                ScheduleRun.Status.STARTED, "one@x", null, JobState.SUCCEEDED, 12)));
        assertThat(in.available()).isZero();

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        ScheduleCodec.write(new DataOutputStream(again), new ScheduleChange.Saved(new ScheduleDefinition("one",
                "0 * * * * ?", "UTC", template, ScheduleDefinition.Misfire.SKIP, 1, ScheduleDefinition.Overlap.ALLOW, false, 7)));
        assertThat(again.toByteArray()).as("one-job schedules keep their layout")
                .isEqualTo(java.util.Arrays.copyOf(buf.toByteArray(), again.size()));
    }

    @Test
    void aCorruptWorkflowCountIsRefused() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buf);
        out.writeByte(5); // SAVED_WORKFLOW
        FactCodec.writeString(out, "etl");
        FactCodec.writeString(out, "0 * * * * ?");
        FactCodec.writeString(out, "UTC");
        out.writeInt(1 << 30);
        assertThatThrownBy(() -> ScheduleCodec.read(new DataInputStream(new ByteArrayInputStream(buf.toByteArray())), CURRENT))
                .isInstanceOf(StoreException.class).hasMessageContaining("1073741824 jobs");
    }
}
