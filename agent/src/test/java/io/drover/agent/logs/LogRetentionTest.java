package io.drover.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.task.AttemptRef;
import io.drover.testkit.SettableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Log retention on real files, with a hand-moved clock and file times set relative to it. */
class LogRetentionTest {
    private static final long KB = 1000;

    @TempDir
    Path dir;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-01T00:00:00Z"));
    private final List<AttemptRef> running = new ArrayList<>();

    private TaskOutputs outputs() {
        return new TaskOutputs(dir.resolve("tasks"), 1_000_000);
    }

    private LogRetention retention(long maxBytes, Duration maxAge) {
        return new LogRetention(outputs(), maxBytes, maxAge, clock, () -> List.copyOf(running));
    }

    /** Writes stdout and stderr of an attempt, {@code bytes} in all, last written {@code age} ago. */
    private Path attempt(String job, int task, long attemptId, long bytes, Duration age) throws IOException {
        TaskOutputs o = outputs();
        Path out = o.output(job, task, attemptId, StreamKind.STDOUT);
        Path err = o.output(job, task, attemptId, StreamKind.STDERR);
        Files.createDirectories(out.getParent());
        Files.write(out, new byte[(int) (bytes / 2)]);
        Files.write(err, new byte[(int) (bytes - bytes / 2)]);
        FileTime when = FileTime.fromMillis(clock.millis() - age.toMillis());
        Files.setLastModifiedTime(out, when);
        Files.setLastModifiedTime(err, when);
        return out;
    }

    @Test
    void finishedOutputOlderThanTheAgeIsRemovedWithItsEmptyDirectories() throws IOException {
        Path old = attempt("j1", 0, 11, KB, Duration.ofDays(8));
        Path young = attempt("j2", 0, 21, KB, Duration.ofDays(2));

        LogRetention.Sweep sweep = retention(1_000_000, Duration.ofDays(7)).sweep();

        assertThat(sweep.attemptsRemoved()).isEqualTo(1);
        assertThat(sweep.bytesRemoved()).isEqualTo(KB);
        assertThat(old).doesNotExist();
        assertThat(old.resolveSibling("attempt-11.stderr")).doesNotExist();
        assertThat(dir.resolve("tasks/j1")).as("empty job directory removed").doesNotExist();
        assertThat(young).exists();

        clock.advance(Duration.ofDays(5).plusMinutes(1));
        assertThat(retention(1_000_000, Duration.ofDays(7)).sweep().attemptsRemoved()).as("aged past 7 days").isEqualTo(1);
        assertThat(young).doesNotExist();
    }

    @Test
    void overTheSizeTheOldestFinishedAttemptsGoFirstUntilTheRestFits() throws IOException {
        Path a = attempt("j", 0, 1, KB, Duration.ofHours(4));
        Path b = attempt("j", 1, 2, KB, Duration.ofHours(3));
        Path c = attempt("j", 2, 3, KB, Duration.ofHours(2));
        Path d = attempt("j", 2, 4, KB, Duration.ofHours(1));

        LogRetention.Sweep sweep = retention(2500, Duration.ofDays(7)).sweep();

        assertThat(sweep).isEqualTo(new LogRetention.Sweep(2, 2 * KB, 2, 2 * KB));
        assertThat(a).doesNotExist();
        assertThat(b).doesNotExist();
        assertThat(c).exists();
        assertThat(d).exists();
        assertThat(retention(2500, Duration.ofDays(7)).sweep().attemptsRemoved()).as("already within limits").isZero();
    }

    @Test
    void aRunningAttemptsOutputAndAFileStillWrittenAreNeverRemoved() throws IOException {
        Path runningOut = attempt("busy", 0, 5, 10 * KB, Duration.ofDays(30));
        running.add(new AttemptRef(5, "busy", 0));
        TaskOutputs o = outputs();
        Path finished = attempt("done", 0, 6, KB, Duration.ofDays(30));
        try (CappedOutput writing = o.open("pumping", 0, 7, StreamKind.STDOUT)) {
            writing.write(new byte[(int) KB]);
            Path pumped = writing.file();
            Files.setLastModifiedTime(pumped, FileTime.fromMillis(clock.millis() - Duration.ofDays(30).toMillis()));

            LogRetention.Sweep sweep = new LogRetention(o, 0, Duration.ofDays(1), clock, () -> List.copyOf(running)).sweep();

            assertThat(runningOut).exists();
            assertThat(pumped).as("its writer is still open").exists();
            assertThat(finished).doesNotExist();
            assertThat(sweep.attemptsRemoved()).isEqualTo(1);
            assertThat(sweep.bytesKept()).as("running output counts toward the total").isEqualTo(11 * KB);
        }
    }

    @Test
    void markersAndCrashReportsGoWithTheirAttemptAndTheTasksOwnFilesStay() throws IOException {
        Path out = attempt("j", 0, 9, KB, Duration.ofDays(9));
        Path marker = TaskOutputs.truncationMarker(out);
        Path crash = out.resolveSibling("attempt-9.hs_err.log");
        Path own = out.resolveSibling("result.csv");
        Files.writeString(marker, "output capped");
        Files.writeString(crash, "crash");
        Files.writeString(own, "the task's own file in its working directory");
        for (Path p : List.of(marker, crash, own)) {
            Files.setLastModifiedTime(p, FileTime.fromMillis(clock.millis() - Duration.ofDays(9).toMillis()));
        }

        retention(1_000_000, Duration.ofDays(7)).sweep();

        assertThat(out).doesNotExist();
        assertThat(marker).doesNotExist();
        assertThat(crash).doesNotExist();
        assertThat(own).as("not task output: not retention's to remove").exists();
    }

    @Test
    void noTasksDirectoryYetIsNothingToDo() throws IOException {
        assertThat(retention(0, Duration.ofSeconds(1)).sweep()).isEqualTo(new LogRetention.Sweep(0, 0, 0, 0));
    }
}
