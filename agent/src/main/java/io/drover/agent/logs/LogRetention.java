package io.drover.agent.logs;

import io.drover.agent.task.AttemptRef;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the task output kept on the agent by age and total size. A sweep groups the files of each
 * attempt ({@code attempt-<id>.*}: stdout, stderr, truncation markers, crash reports), removes
 * finished attempts last written more than {@code maxAge} ago, then the oldest finished ones until
 * all output (running attempts' included) fits in {@code maxBytes}. A running attempt's output, or
 * a file still being written, is never removed; task directories left empty go too.
 */
public final class LogRetention {
    private static final Logger log = LoggerFactory.getLogger(LogRetention.class);
    private static final Pattern ATTEMPT_FILE = Pattern.compile("attempt-(\\d+)\\..+");

    /** What one sweep found and removed. */
    public record Sweep(int attemptsKept, long bytesKept, int attemptsRemoved, long bytesRemoved) {
    }

    private record AttemptFiles(Path taskDir, long attemptId, List<Path> files, long bytes, long lastWrittenMs) {
    }

    private final TaskOutputs outputs;
    private final long maxBytes;
    private final Duration maxAge;
    private final Clock clock;
    private final Supplier<List<AttemptRef>> running;

    /** {@code running}: the attempts this agent runs now; their output is left alone. */
    public LogRetention(TaskOutputs outputs, long maxBytes, Duration maxAge, Clock clock, Supplier<List<AttemptRef>> running) {
        if (maxBytes < 0 || maxAge == null || maxAge.isNegative()) {
            throw new IllegalArgumentException("log retention needs maxBytes >= 0 and maxAge >= 0, was " + maxBytes
                    + " bytes, " + maxAge);
        }
        this.outputs = outputs;
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
        this.clock = clock;
        this.running = running;
    }

    public Sweep sweep() throws IOException {
        Set<Long> busy = new HashSet<>();
        Set<Path> busyDirs = new HashSet<>();
        for (AttemptRef a : running.get()) {
            busy.add(a.attemptId());
            busyDirs.add(outputs.taskDir(a.jobId(), a.task()));
        }
        List<AttemptFiles> finished = new ArrayList<>();
        List<AttemptFiles> all = scan();
        long total = 0;
        for (AttemptFiles a : all) {
            total += a.bytes();
            if (!busy.contains(a.attemptId()) && a.files().stream().noneMatch(outputs::isOpen)) {
                finished.add(a);
            }
        }
        finished.sort(Comparator.comparingLong(AttemptFiles::lastWrittenMs).thenComparingLong(AttemptFiles::attemptId));
        long oldestKept = clock.millis() - maxAge.toMillis();
        int removed = 0;
        long removedBytes = 0;
        Set<Path> touched = new HashSet<>();
        for (AttemptFiles a : finished) {
            if (a.lastWrittenMs() >= oldestKept && total <= maxBytes) {
                break; // sorted oldest first: everything after this is younger and fits
            }
            long freed = remove(a);
            total -= freed;
            removedBytes += freed;
            removed++;
            touched.add(a.taskDir());
        }
        touched.stream().filter(dir -> !busyDirs.contains(dir)).forEach(LogRetention::removeIfEmpty);
        if (removed > 0) {
            log.info("log retention removed the output of {} finished attempts ({} bytes); {} bytes kept (limits: {} bytes, {})",
                    removed, removedBytes, total, maxBytes, maxAge);
        }
        return new Sweep(all.size() - removed, total, removed, removedBytes);
    }

    /** Every attempt's output files, grouped by task directory and attempt id. */
    private List<AttemptFiles> scan() throws IOException {
        Path root = outputs.tasksDir();
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<AttemptFiles> out = new ArrayList<>();
        for (Path jobDir : list(root)) {
            if (!Files.isDirectory(jobDir)) {
                continue;
            }
            for (Path taskDir : list(jobDir)) {
                if (Files.isDirectory(taskDir)) {
                    out.addAll(attempts(taskDir));
                }
            }
        }
        return out;
    }

    private static List<AttemptFiles> attempts(Path taskDir) throws IOException {
        Map<Long, List<Path>> byAttempt = new LinkedHashMap<>();
        for (Path file : list(taskDir)) {
            Matcher m = ATTEMPT_FILE.matcher(file.getFileName().toString());
            if (m.matches() && Files.isRegularFile(file)) {
                byAttempt.computeIfAbsent(Long.parseLong(m.group(1)), id -> new ArrayList<>()).add(file);
            }
        }
        List<AttemptFiles> out = new ArrayList<>(byAttempt.size());
        for (var e : byAttempt.entrySet()) {
            long bytes = 0;
            long last = 0;
            List<Path> present = new ArrayList<>();
            for (Path file : e.getValue()) {
                try {
                    bytes += Files.size(file);
                    last = Math.max(last, Files.getLastModifiedTime(file).toMillis());
                    present.add(file);
                } catch (NoSuchFileException gone) {
                    // Removed since the listing (a new attempt replaced a marker): nothing to count.
                }
            }
            if (!present.isEmpty()) {
                out.add(new AttemptFiles(taskDir, e.getKey(), present, bytes, last));
            }
        }
        return out;
    }

    private static long remove(AttemptFiles a) throws IOException {
        long freed = 0;
        for (Path file : a.files()) {
            try {
                long size = Files.size(file);
                Files.delete(file);
                freed += size;
            } catch (NoSuchFileException gone) {
                // Already gone: nothing freed.
            }
        }
        return freed;
    }

    private static void removeIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
            Path jobDir = dir.getParent();
            try (Stream<Path> left = Files.list(jobDir)) {
                if (left.findAny().isEmpty()) {
                    Files.deleteIfExists(jobDir);
                }
            }
        } catch (DirectoryNotEmptyException e) {
            // Other files (the task's own, as its working directory) or a new attempt: keep it.
        } catch (IOException e) {
            log.warn("log retention could not remove the empty directory {}: {}", dir, e.toString());
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
