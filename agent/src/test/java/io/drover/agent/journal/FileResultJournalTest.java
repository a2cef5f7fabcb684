package io.drover.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.agent.task.AttemptRef;
import io.drover.agent.task.Execution;
import io.drover.agent.task.TaskOutcome;
import io.drover.agent.task.TaskReport;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileResultJournalTest {
    @TempDir
    Path dir;
    private final List<FileResultJournal> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(FileResultJournal::close);
    }

    @Test
    void unacknowledgedResultsSurviveReopeningInOrderWithEveryField() throws IOException {
        FileResultJournal journal = open(dir);
        TaskReport failed = new TaskReport(new AttemptRef(2, "job-ü", 7), Execution.failed("exit 3: ünïcode"), 42);
        TaskReport cancelled = new TaskReport(new AttemptRef(3, "j", 1), Execution.withError(TaskOutcome.CANCELLED, "x"), 0);
        journal.append(succeeded(1, "one"));
        journal.append(failed);
        journal.append(cancelled);
        journal.acknowledge(List.of(1L, 99L));
        journal.close();

        FileResultJournal reopened = open(dir);

        assertThat(reopened.pending(10)).extracting(TaskReport::attemptId).containsExactly(2L, 3L);
        assertSame(reopened.pending(10).get(0), failed);
        assertSame(reopened.pending(10).get(1), cancelled);
        assertThat(reopened.holds(1)).isFalse();
    }

    @Test
    void aResultsCodecNameSurvivesReopeningAndResultsWithoutOneReadAsBefore() throws IOException {
        FileResultJournal journal = open(dir);
        TaskReport named = new TaskReport(new AttemptRef(5, "j", 0), Execution.succeeded(new byte[8], "int64"), 3);
        journal.append(named);
        journal.append(succeeded(6, "no codec"));
        journal.close();

        List<TaskReport> back = open(dir).pending(10);

        assertThat(back).extracting(r -> r.execution().resultCodec())
                .containsExactly(java.util.Optional.of("int64"), java.util.Optional.empty());
        assertSame(back.get(0), named);
    }

    @Test
    void aResultStoredAsABlobSurvivesReopeningWithOrWithoutACodecName() throws IOException {
        FileResultJournal journal = open(dir);
        io.drover.agent.task.ResultBlob blob = new io.drover.agent.task.ResultBlob("c".repeat(64), 300_000_000L);
        TaskReport named = new TaskReport(new AttemptRef(7, "j", 0), Execution.succeededAsBlob(blob, "bytes"), 9);
        TaskReport anonymous = new TaskReport(new AttemptRef(8, "j", 1), Execution.succeededAsBlob(blob, null), 9);
        journal.append(named);
        journal.append(anonymous);
        journal.append(succeeded(9, "inline"));
        journal.close();

        List<TaskReport> back = open(dir).pending(10);

        assertThat(back).extracting(r -> r.execution().blob())
                .containsExactly(java.util.Optional.of(blob), java.util.Optional.of(blob), java.util.Optional.empty());
        assertThat(back).extracting(r -> r.execution().resultCodec())
                .containsExactly(java.util.Optional.of("bytes"), java.util.Optional.empty(), java.util.Optional.empty());
        assertThat(back.get(0).execution().value()).isEmpty();
    }

    @Test
    void resultIsOnDiskAsSoonAsAReportCanCarryIt() throws IOException {
        FileResultJournal journal = open(dir);
        journal.append(succeeded(1, "kept"));
        assertThat(journal.pending(10)).hasSize(1); // offered to the coordinator only from here on

        // The process "dies" here: no close. A copy of the directory is what a restart would find.
        Path afterCrash = copyOfJournal(dir);

        FileResultJournal restarted = open(afterCrash);
        assertThat(restarted.pending(10)).singleElement().satisfies(r -> assertSame(r, succeeded(1, "kept")));
    }

    @Test
    void tornLastRecordIsIgnoredAtEveryCutAndLaterAppendsStayReadable() throws IOException {
        FileResultJournal journal = open(dir);
        journal.append(succeeded(1, "first"));
        journal.pending(10); // what a report does: writes and syncs
        long afterFirst = Files.size(file(dir));
        journal.append(succeeded(2, "second"));
        journal.close();
        long full = Files.size(file(dir));

        for (long cut = afterFirst + 1; cut < full; cut++) {
            Path torn = copyOfJournal(dir);
            truncate(file(torn), cut);

            FileResultJournal recovered = open(torn);
            assertThat(recovered.pending(10)).as("cut at %d", cut).extracting(TaskReport::attemptId).containsExactly(1L);
            recovered.append(succeeded(3, "after the crash"));
            recovered.close();
            assertThat(open(torn).pending(10)).as("cut at %d", cut).extracting(TaskReport::attemptId).containsExactly(1L, 3L);
            assertThat(damagedCopies(torn)).isEmpty();
        }
    }

    @Test
    void zerosLeftAfterTheLastRecordAreATornWriteToo() throws IOException {
        FileResultJournal journal = open(dir);
        journal.append(succeeded(1, "first"));
        journal.close();
        try (RandomAccessFile raf = new RandomAccessFile(file(dir).toFile(), "rw")) {
            raf.setLength(raf.length() + 300);
        }

        assertThat(open(dir).pending(10)).extracting(TaskReport::attemptId).containsExactly(1L);
        assertThat(damagedCopies(dir)).isEmpty();
    }

    @Test
    void damageBeforeTheEndKeepsTheValidPrefixAndACopyOfTheFile() throws IOException {
        FileResultJournal journal = open(dir);
        journal.append(succeeded(1, "first"));
        journal.pending(10);
        long secondStarts = Files.size(file(dir));
        journal.append(succeeded(2, "second"));
        journal.append(succeeded(3, "third"));
        journal.close();
        flipByte(file(dir), secondStarts + 20); // inside the second record's payload

        FileResultJournal recovered = open(dir);

        assertThat(recovered.pending(10)).extracting(TaskReport::attemptId).containsExactly(1L);
        assertThat(damagedCopies(dir)).hasSize(1);
    }

    @Test
    void compactsWhenMostIsAcknowledgedAndKeepsWhatIsPending() throws IOException {
        FileResultJournal journal = FileResultJournal.open(dir, 4096);
        opened.add(journal);
        for (long id = 1; id <= 100; id++) {
            journal.append(succeeded(id, "value-" + "x".repeat(100)));
        }
        long grown = journal.fileBytes();
        journal.acknowledge(LongStream.rangeClosed(1, 95).boxed().toList());

        assertThat(journal.fileBytes()).isLessThan(grown / 10);
        assertThat(Files.size(file(dir))).isEqualTo(journal.fileBytes());
        journal.append(succeeded(101, "after compaction"));
        journal.acknowledge(List.of(96L));
        journal.close();

        assertThat(open(dir).pending(100)).extracting(TaskReport::attemptId).containsExactly(97L, 98L, 99L, 100L, 101L);
        assertThat(listDir(dir)).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder("results.log", "lock");
    }

    @Test
    void doesNotCompactWhileMostResultsArePending() throws IOException {
        FileResultJournal journal = FileResultJournal.open(dir, 1024);
        opened.add(journal);
        for (long id = 1; id <= 100; id++) {
            journal.append(succeeded(id, "x".repeat(100)));
        }
        long grown = journal.fileBytes();

        journal.acknowledge(LongStream.rangeClosed(1, 40).boxed().toList());

        assertThat(journal.fileBytes()).isGreaterThan(grown);
    }

    @Test
    void leftoverOfACompactionCutShortIsDiscarded() throws IOException {
        open(dir).append(succeeded(1, "kept"));
        closeAll();
        opened.clear();
        Files.write(dir.resolve("results.log.compact"), new byte[] {1, 2, 3});

        assertThat(open(dir).pending(10)).extracting(TaskReport::attemptId).containsExactly(1L);
        assertThat(dir.resolve("results.log.compact")).doesNotExist();
    }

    @Test
    void refusesAFileThatIsNotAJournalAndLeavesItAlone() throws IOException {
        byte[] foreign = "this is somebody else's file".getBytes(StandardCharsets.UTF_8);
        Files.write(file(dir), foreign);

        assertThatThrownBy(() -> FileResultJournal.open(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a Drover result journal");
        assertThat(Files.readAllBytes(file(dir))).isEqualTo(foreign);
        Files.move(file(dir), dir.resolve("foreign.txt"));
        open(dir).close(); // the failed open released the directory
    }

    @Test
    void oneDirectoryServesOneJournalAtATime() throws IOException {
        FileResultJournal first = open(dir);

        assertThatThrownBy(() -> FileResultJournal.open(dir)).isInstanceOf(IOException.class).hasMessageContaining("in use");

        first.close();
        open(dir).close();
    }

    @Test
    void anInterruptedAppenderDoesNotBreakTheJournal() throws IOException {
        FileResultJournal journal = open(dir);

        Thread.currentThread().interrupt();
        try {
            journal.append(succeeded(1, "while interrupted"));
        } finally {
            assertThat(Thread.interrupted()).as("interrupt flag kept").isTrue();
        }
        journal.append(succeeded(2, "after"));
        journal.close();

        assertThat(open(dir).pending(10)).extracting(TaskReport::attemptId).containsExactly(1L, 2L);
    }

    @Test
    void concurrentAppendsAllLand() throws Exception {
        FileResultJournal journal = open(dir);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long base = t * 1000L;
                done.add(threads.submit(() -> {
                    for (long i = 1; i <= 100; i++) {
                        journal.append(succeeded(base + i, "v"));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }
        journal.close();

        assertThat(open(dir).size()).isEqualTo(800);
    }

    @Test
    void aReporterDrainingWhileTasksAppendSeesEveryResultOnceOldestFirst() throws Exception {
        FileResultJournal journal = open(dir);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Long> delivered = new ArrayList<>();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long base = t * 1000L;
                done.add(threads.submit(() -> {
                    for (long i = 1; i <= 200; i++) {
                        journal.append(succeeded(base + i, "v"));
                    }
                }));
            }
            while (delivered.size() < 800) {
                boolean allAppended = done.stream().allMatch(Future::isDone); // before pending: it then sees them all
                List<TaskReport> batch = journal.pending(64); // writes, then offers what is in the file
                batch.forEach(r -> delivered.add(r.attemptId()));
                journal.acknowledge(batch.stream().map(TaskReport::attemptId).toList());
                if (batch.isEmpty() && allAppended) {
                    assertThat(journal.size()).as("nothing left behind once every task appended").isZero();
                }
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(delivered).hasSize(800).doesNotHaveDuplicates();
        for (int t = 0; t < 4; t++) {
            long base = t * 1000L;
            assertThat(delivered.stream().filter(id -> id > base && id <= base + 200).toList())
                    .as("one task thread's results in the order it appended them").isSorted();
        }
        journal.close();
        assertThat(open(dir).size()).isZero();
    }

    @Test
    void resultsReachTheFileWhenAReportReadsThemOrWhenTheBufferFills() throws IOException {
        FileResultJournal journal = open(dir);
        long empty = Files.size(file(dir));
        journal.append(succeeded(1, "one"));
        journal.append(succeeded(2, "two"));

        assertThat(Files.size(file(dir))).as("buffered: task threads do not write").isEqualTo(empty);
        assertThat(journal.pending(10)).extracting(TaskReport::attemptId).containsExactly(1L, 2L);
        assertThat(Files.size(file(dir))).isEqualTo(journal.fileBytes());

        long written = Files.size(file(dir));
        long id = 3;
        while (Files.size(file(dir)) == written) {
            assertThat(journal.fileBytes() - written).as("a full buffer is written without a report")
                    .isLessThanOrEqualTo(FileResultJournal.WRITE_AFTER_BYTES);
            journal.append(succeeded(id++, "x".repeat(1000)));
        }
        assertThat(Files.size(file(dir))).isEqualTo(journal.fileBytes()).isGreaterThanOrEqualTo(written + FileResultJournal.WRITE_AFTER_BYTES);
        journal.close();
        assertThat(open(dir).pending(1000)).hasSize((int) id - 1);
    }

    @Test
    void repeatedResultOfAnAttemptIsNotWrittenAgain() throws IOException {
        FileResultJournal journal = open(dir);
        journal.append(succeeded(1, "first"));
        long size = journal.fileBytes();

        journal.append(new TaskReport(new AttemptRef(1, "j", 0), Execution.failed("late"), 5));
        journal.acknowledge(List.of(42L));

        assertThat(journal.fileBytes()).isEqualTo(size);
        journal.close();
        assertThat(open(dir).pending(10)).singleElement().satisfies(r -> assertThat(r.outcome()).isEqualTo(TaskOutcome.SUCCEEDED));
    }

    private FileResultJournal open(Path directory) throws IOException {
        FileResultJournal journal = FileResultJournal.open(directory);
        opened.add(journal);
        return journal;
    }

    private static TaskReport succeeded(long attempt, String value) {
        return new TaskReport(new AttemptRef(attempt, "job-1", (int) attempt % 5),
                Execution.succeeded(value.getBytes(StandardCharsets.UTF_8)), attempt * 10);
    }

    private static void assertSame(TaskReport actual, TaskReport expected) {
        assertThat(actual.attempt()).isEqualTo(expected.attempt());
        assertThat(actual.outcome()).isEqualTo(expected.outcome());
        assertThat(actual.runMillis()).isEqualTo(expected.runMillis());
        assertThat(actual.execution().error()).isEqualTo(expected.execution().error());
        assertThat(actual.execution().value().map(String::new)).isEqualTo(expected.execution().value().map(String::new));
    }

    private static Path file(Path directory) {
        return directory.resolve("results.log");
    }

    private Path copyOfJournal(Path from) throws IOException {
        Path to = Files.createTempDirectory(dir, "copy-");
        Files.copy(file(from), file(to));
        return to;
    }

    private static void truncate(Path file, long length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0xff);
        }
    }

    private static List<Path> damagedCopies(Path directory) throws IOException {
        return listDir(directory).stream().filter(p -> p.getFileName().toString().contains(".damaged-")).toList();
    }

    private static List<Path> listDir(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
