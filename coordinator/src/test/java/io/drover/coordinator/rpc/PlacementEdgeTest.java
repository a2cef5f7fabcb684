package io.drover.coordinator.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.coordinator.core.Constraint;
import io.drover.coordinator.core.Event;
import io.drover.coordinator.core.JobDefinition;
import io.drover.coordinator.core.PlacementWait;
import io.drover.coordinator.secrets.SecretSealer;
import io.drover.protocol.ConstraintText;
import io.drover.protocol.thrift.ConstraintOp;
import io.drover.protocol.thrift.JobKind;
import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.Outcome;
import io.drover.protocol.thrift.PlacementConstraint;
import io.drover.protocol.thrift.TaskResult;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Placement settings checked at the edge, why-waiting wording, and what the edge does to oversized results. */
class PlacementEdgeTest {
    private static JobSubmission process() {
        JobSubmission s = new JobSubmission("n", "o", "k", JobKind.PROCESS, 2, List.of(), 1, 1, 0, false, 0, Map.of(), 0);
        s.setCommand(List.of("/bin/true"));
        return s;
    }

    @Test
    void constraintsAndSpreadReachTheDefinition() {
        JobSubmission s = process();
        s.setConstraints(List.of(ConstraintText.parse("gpu in (a100,h100)"), ConstraintText.parse("ssd exists")));
        s.setSpreadLabel("site");

        JobDefinition d = Submissions.toDefinition(s, null, SecretSealer.unavailable());

        assertThat(d.constraints()).containsExactly(new Constraint("gpu", Constraint.Op.IN, List.of("a100", "h100")),
                new Constraint("ssd", Constraint.Op.EXISTS, List.of()));
        assertThat(d.spreadLabel()).isEqualTo("site");
    }

    @Test
    void malformedPlacementIsRefusedNamingTheConstraint() {
        JobSubmission s = process();
        s.setConstraints(List.of(new PlacementConstraint("gpu", ConstraintOp.EXISTS).setValues(List.of("a100")),
                new PlacementConstraint("gpu", ConstraintOp.IN)));
        s.setSpreadLabel("two words");

        assertThatThrownBy(() -> Submissions.toDefinition(s, null, SecretSealer.unavailable()))
                .hasMessageContaining("constraints[0]").hasMessageContaining("takes no value")
                .hasMessageContaining("constraints[1]").hasMessageContaining("1..64 values")
                .hasMessageContaining("spreadLabel");
    }

    @Test
    void tooManyConstraintsAreRefused() {
        JobSubmission s = process();
        List<PlacementConstraint> many = new ArrayList<>();
        for (int i = 0; i <= Constraint.MAX_PER_JOB; i++) {
            many.add(new PlacementConstraint("l" + i, ConstraintOp.EXISTS));
        }
        s.setConstraints(many);
        assertThatThrownBy(() -> Submissions.toDefinition(s, null, SecretSealer.unavailable()))
                .hasMessageContaining("constraints has 33 entries, more than 32");
    }

    @Test
    void theWaitIsWordedWithTheConstraintAndTheAgentCounts() {
        PlacementWait w = new PlacementWait(3, List.of(
                new PlacementWait.Blocker(PlacementWait.Kind.CONSTRAINT,
                        new Constraint("gpu", Constraint.Op.IN, List.of("a100")), 3, 0, 0),
                new PlacementWait.Blocker(PlacementWait.Kind.SLOTS, null, 2, 8, 4)));
        assertThat(PlacementWording.summary(w)).isEqualTo("no agent can run its tasks: 3 of 3 agents fail gpu in (a100); "
                + "a task needs 8 slots, 2 of 3 agents have fewer (most: 4)");
        assertThat(PlacementWording.summary(new PlacementWait(0, List.of()))).startsWith("no agent is taking work");
    }

    @Test
    void aResultOverTheCapIsRejectedNotRetried() {
        TaskResult big = new TaskResult(1, "j", 0, Outcome.SUCCEEDED, 10).setValue(ByteBuffer.wrap(new byte[65]));
        Event.Report r = WireMapper.reports(List.of(big), 64).get(0);
        assertThat(r.outcome()).isEqualTo(Event.Outcome.REJECTED);
        assertThat(r.value()).isNull();
        assertThat(r.error()).contains("65 bytes exceeds the 64-byte limit");
    }
}
