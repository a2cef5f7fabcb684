package io.drover.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading pieces of captured output from real files written through the capped writer. */
class LogReaderTest {
    @TempDir
    Path dir;
    private final Set<Long> running = new HashSet<>();

    private TaskOutputs outputs(long cap) {
        return new TaskOutputs(dir.resolve("tasks"), cap);
    }

    private static LogRequest request(long attemptId, StreamKind stream, long offset, int maxBytes) {
        return new LogRequest(42, "job-1", 3, attemptId, stream, offset, maxBytes);
    }

    @Test
    void piecesOfARunningAttemptAreNeverCompleteAndTheEndedOnesAre() throws IOException {
        TaskOutputs o = outputs(1_000);
        LogReader reader = new LogReader(o, running::contains);
        running.add(9L);
        CappedOutput out = o.open("job-1", 3, 9, StreamKind.STDOUT);
        out.write("hello world".getBytes(StandardCharsets.UTF_8));

        LogPiece first = reader.read(request(9, StreamKind.STDOUT, 0, 5));
        assertThat(new String(first.data(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(first.size()).isEqualTo(11);
        assertThat(first.complete()).isFalse();
        LogPiece rest = reader.read(request(9, StreamKind.STDOUT, 5, 100));
        assertThat(new String(rest.data(), StandardCharsets.UTF_8)).isEqualTo(" world");
        assertThat(rest.complete()).as("still running").isFalse();
        assertThat(rest.requestId()).isEqualTo(42);

        running.remove(9L);
        assertThat(reader.read(request(9, StreamKind.STDOUT, 11, 100)).complete()).as("its file is still open").isFalse();
        out.close();
        LogPiece end = reader.read(request(9, StreamKind.STDOUT, 11, 100));
        assertThat(end.data()).isEmpty();
        assertThat(end.complete()).isTrue();
        assertThat(reader.read(request(9, StreamKind.STDOUT, 0, 4)).complete()).as("not up to the end").isFalse();
    }

    @Test
    void attemptZeroMeansTheNewestAndTheCapShowsAsTruncated() throws IOException {
        TaskOutputs o = outputs(4);
        for (long attempt : new long[] {5, 12}) {
            try (CappedOutput err = o.open("job-1", 3, attempt, StreamKind.STDERR)) {
                err.write(("attempt " + attempt).getBytes(StandardCharsets.UTF_8));
            }
        }
        LogPiece piece = new LogReader(o, running::contains).read(request(0, StreamKind.STDERR, 0, 100));

        assertThat(piece.attemptId()).isEqualTo(12);
        assertThat(new String(piece.data(), StandardCharsets.UTF_8)).isEqualTo("atte");
        assertThat(piece.truncated()).isTrue();
        assertThat(piece.complete()).isTrue();
        assertThat(piece.error()).isEmpty();
    }

    @Test
    void missingOutputIsEmptyWhileRunningAndAnErrorOnceEnded() throws IOException {
        TaskOutputs o = outputs(100);
        LogReader reader = new LogReader(o, running::contains);
        assertThat(reader.read(request(0, StreamKind.STDOUT, 0, 10)).error()).hasValueSatisfying(e ->
                assertThat(e).isEqualTo("no output of task 3 of job job-1 on this agent"));

        running.add(20L);
        LogPiece notYet = reader.read(request(20, StreamKind.STDOUT, 0, 10));
        assertThat(notYet.error()).isEmpty();
        assertThat(notYet.data()).isEmpty();
        assertThat(notYet.complete()).isFalse();

        running.remove(20L);
        assertThat(reader.read(request(20, StreamKind.STDOUT, 0, 10)).error()).hasValueSatisfying(e ->
                assertThat(e).contains("printed nothing", "log retention removed it"));
        Files.createDirectories(o.taskDir("job-1", 3));
        LogPiece printedNothing = reader.read(request(20, StreamKind.STDOUT, 0, 10)); // worker JVMs create files on first write
        assertThat(printedNothing.error()).isEmpty();
        assertThat(printedNothing.data()).isEmpty();
        assertThat(printedNothing.complete()).isTrue();
    }
}
