package io.drover.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.sdk.JobSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScheduleMappersTest {
    private static final String SHA = "b".repeat(64);

    @Test
    void aRunTemplateKeepsItsDisconnectOverrideBothWays() {
        JobSpec template = JobSpec.jvmArtifact(SHA, "x.Job").lostAfter(Duration.ofHours(2)).build();

        JobSpec back = ScheduleMappers.toJobSpec(Mappers.toSubmission(template, null));

        assertThat(back.lostAfter()).contains(Duration.ofHours(2));
        assertThat(ScheduleMappers.toJobSpec(Mappers.toSubmission(JobSpec.jvmArtifact(SHA, "x.Job").build(), null))
                .lostAfter()).isEmpty();
    }
}
