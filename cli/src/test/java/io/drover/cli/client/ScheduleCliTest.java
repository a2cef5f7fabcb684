package io.drover.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.sdk.InvalidJobException;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import io.drover.sdk.MisfirePolicy;
import io.drover.sdk.OverlapPolicy;
import io.drover.sdk.ScheduleRun;
import io.drover.sdk.ScheduleSpec;
import io.drover.sdk.ScheduleStatus;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code drover schedule add} options to a spec, the spec's checks, and the show/list text. */
class ScheduleCliTest {
    private static ScheduleSpec parse(String... args) {
        ScheduleAddCommand add = new ScheduleAddCommand();
        new CommandLine(add).parseArgs(args);
        return add.spec();
    }

    @Test
    void addOptionsBecomeASchedule() {
        ScheduleSpec s = parse("probe", "--cron", "0 */5 * * * ?", "--zone", "Europe/Berlin", "--command", "./probe.sh -v",
                "--shards", "3", "--misfire", "FIRE_ALL", "--max-catch-up", "4", "--overlap", "FORBID", "--paused");
        assertThat(s.name()).isEqualTo("probe");
        assertThat(s.cron()).isEqualTo("0 */5 * * * ?");
        assertThat(s.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(s.job().command()).containsExactly("./probe.sh", "-v");
        assertThat(s.job().shardCount()).isEqualTo(3);
        assertThat(s.job().name()).isEqualTo("probe");
        assertThat(s.misfire()).isEqualTo(MisfirePolicy.FIRE_ALL);
        assertThat(s.maxCatchUp()).isEqualTo(4);
        assertThat(s.overlap()).isEqualTo(OverlapPolicy.FORBID);
        assertThat(s.paused()).isTrue();

        ScheduleSpec defaults = parse("n", "--cron", "0 0 * * * ?", "--artifact", "a".repeat(64), "--class", "x.Job");
        assertThat(defaults.zone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(defaults.misfire()).isEqualTo(MisfirePolicy.FIRE_ONCE_NOW);
        assertThat(defaults.overlap()).isEqualTo(OverlapPolicy.ALLOW);
    }

    @Test
    void badSchedulesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> parse("n", "--cron", "0 0 * * * ?", "--command", "x", "--zone", "Mars/Olympus"))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("unknown time zone 'Mars/Olympus'");
        assertThatThrownBy(() -> parse("n", "--cron", "every day", "--command", "x"))
                .hasMessageContaining("cron must be a Quartz cron expression of 6 or 7 fields");
        assertThatThrownBy(() -> parse("bad name", "--cron", "0 0 * * * ?", "--command", "x"))
                .hasMessageContaining("name must be 1..100 of letters");
        assertThatThrownBy(() -> parse("n", "--cron", "0 0 * * * ?", "--command", "x", "--misfire", "FIRE_ALL",
                "--max-catch-up", "0")).hasMessageContaining("maxCatchUp must be 1..1000, was 0");
        assertThatThrownBy(() -> parse("n", "--cron", "0 0 * * * ?", "--class", "x.Job"))
                .hasMessageContaining("give exactly one of --jar, --artifact or --command");
        assertThatThrownBy(() -> ScheduleSpec.builder("n", "0 0 * * * ?", (JobSpec) null).build()).hasMessageContaining("job is required");
    }

    @Test
    void showPrintsTimesInTheScheduleZoneWithHistoryNewestFirst() {
        JobSpec job = JobSpec.process(List.of("true")).name("n").build();
        ScheduleSpec spec = ScheduleSpec.builder("n", "0 30 2 * * ?", job).zone("Europe/Berlin").build();
        Instant t = Instant.parse("2026-03-29T00:30:00Z");
        ScheduleRun done = new ScheduleRun(t, t.plusMillis(4), ScheduleRun.Status.STARTED, Optional.of("j1-7"),
                Optional.of(JobState.SUCCEEDED), Optional.of(t.plusSeconds(12)), Optional.empty());
        ScheduleRun skipped = new ScheduleRun(t.plusSeconds(86_400), t.plusSeconds(86_400), ScheduleRun.Status.SKIPPED_OVERLAP,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("run j1-7 still running (overlap FORBID)"));
        ScheduleStatus s = new ScheduleStatus(spec, t.minusSeconds(60), t.plusSeconds(86_400), List.of(skipped, done),
                List.of(t.plusSeconds(2 * 86_400)));
        String text = ScheduleFormat.show(s, t.plusSeconds(86_500));
        assertThat(text).contains("cron      0 30 2 * * ? in Europe/Berlin")
                .contains("2026-03-29 01:30:00.000 +01:00")   // before the switch to summer time
                .contains("2026-03-31 02:30:00.000 +02:00")   // next fire, after it
                .contains("SKIPPED_OVERLAP").contains("j1-7").contains("SUCCEEDED").contains("11s");
        assertThat(text.indexOf("SKIPPED_OVERLAP")).isLessThan(text.indexOf("SUCCEEDED"));
        assertThat(ScheduleFormat.list(List.of(s))).contains("ACTIVE").contains("SKIPPED_OVERLAP").contains("FIRE_ONCE_NOW");
    }

    @Test
    void aWorkflowFileBecomesAWorkflowScheduleAndShowListsEachFiresJobs(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path file = dir.resolve("etl.yaml");
        java.nio.file.Files.writeString(file, "jobs:\n  extract:\n    command: [\"./extract.sh\"]\n"
                + "  load:\n    command: [\"./load.sh\"]\n    after: [extract]\n");
        ScheduleSpec spec = parse("etl", "--cron", "0 0 3 * * ?", "--workflow", file.toString(), "--overlap", "FORBID");
        assertThat(spec.workflow()).hasValueSatisfying(w -> assertThat(w.jobs()).containsOnlyKeys("extract", "load"));
        assertThat(spec.job()).isNull();
        assertThatThrownBy(() -> parse("etl", "--cron", "0 0 3 * * ?", "--workflow", file.toString(), "--command", "x"))
                .hasMessageContaining("--workflow replaces");

        Instant t = Instant.parse("2026-03-29T03:00:00Z");
        java.util.Map<String, String> ids = new java.util.LinkedHashMap<>();
        ids.put("extract", "etl@20260329T030000Z.extract");
        ids.put("load", "etl@20260329T030000Z.load");
        ScheduleRun run = new ScheduleRun(t, t.plusMillis(3), ScheduleRun.Status.STARTED, Optional.empty(),
                Optional.of(JobState.FAILED), Optional.of(t.plusSeconds(5)), Optional.empty(), ids);
        ScheduleStatus s = new ScheduleStatus(spec, t.minusSeconds(60), t, List.of(run), List.of());
        assertThat(ScheduleFormat.show(s, t.plusSeconds(9))).contains("workflow  2 jobs: extract, load")
                .contains("etl@20260329T030000Z.extract,etl@20260329T030000Z.load").contains("FAILED");
        assertThat(ScheduleFormat.list(List.of(s))).contains("workflow (2 jobs)").contains("workflow of 2 jobs FAILED");
    }
}
