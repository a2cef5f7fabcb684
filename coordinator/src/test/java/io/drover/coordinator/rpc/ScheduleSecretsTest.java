package io.drover.coordinator.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.coordinator.core.ScheduleDefinition;
import io.drover.coordinator.core.ScheduleSnapshot;
import io.drover.coordinator.secrets.TestSealer;
import io.drover.protocol.thrift.JobKind;
import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.MisfirePolicy;
import io.drover.protocol.thrift.OverlapPolicy;
import io.drover.protocol.thrift.ScheduleSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A schedule's template keeps its secrets sealed, each run carries them, and a view shows names only. */
class ScheduleSecretsTest {
    @Test
    void aTemplatesSecretsAreSealedCarriedIntoRunsAndShownMasked() {
        JobSubmission job = new JobSubmission("nightly", "alice", null, JobKind.PROCESS, 1, List.of(), 1, 1, 0, false, 0,
                Map.of(), 0);
        job.setCommand(List.of("/bin/true"));
        job.setSecretEnvironment(Map.of("API_KEY", "hunter2-secret"));
        TestSealer sealer = new TestSealer();

        ScheduleDefinition d = ScheduleWire.toDefinition(new ScheduleSpec("nightly", "0 0 2 * * ?", "UTC", job,
                MisfirePolicy.SKIP, 1, OverlapPolicy.ALLOW, false), null, sealer);

        assertThat(d.template().secretEnvironment().get("API_KEY")).startsWith("enc:v1:").doesNotContain("hunter2");
        var run = d.template().asRun("nightly@1", "run-1");
        assertThat(WireMapper.descriptor(run, sealer).getEnvironment()).containsEntry("API_KEY", "hunter2-secret");
        assertThat(ScheduleWire.view(new ScheduleSnapshot(d, 0, List.of()), 0).getSpec().getJob().getSecretEnvironment())
                .containsExactly(Map.entry("API_KEY", "***"));
    }
}
