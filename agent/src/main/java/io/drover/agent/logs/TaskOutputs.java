package io.drover.agent.logs;

import io.drover.agent.platform.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where tasks run and where their output goes, for every kind of task (process or worker JVM):
 * {@code <tasksDir>/<jobId>/<task>/attempt-<attemptId>.stdout|.stderr}, each capped at
 * {@code capBytes} (later bytes are dropped and {@code <file>.truncated} says so). Files being
 * written are registered as open until their writer is closed, so readers know whether more may
 * come and retention never removes them.
 */
public final class TaskOutputs {
    private static final Pattern OUTPUT = Pattern.compile("attempt-(\\d+)\\.(stdout|stderr)");
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9_-]"); // compiled once: used per task

    private final Path tasksDir;
    private final long capBytes;
    private final Set<Path> open = ConcurrentHashMap.newKeySet();

    public TaskOutputs(Path tasksDir, long capBytes) {
        if (capBytes < 0) {
            throw new IllegalArgumentException("output cap must be >= 0 bytes, was " + capBytes);
        }
        this.tasksDir = tasksDir;
        this.capBytes = capBytes;
    }

    public Path tasksDir() {
        return tasksDir;
    }

    public long capBytes() {
        return capBytes;
    }

    /** The task's own directory (its default working directory, shared by its attempts). */
    public Path taskDir(String jobId, int task) {
        return tasksDir.resolve(safeName(jobId)).resolve(Integer.toString(task));
    }

    public Path output(String jobId, int task, long attemptId, StreamKind stream) {
        return taskDir(jobId, task).resolve(fileName(attemptId, stream));
    }

    static String fileName(long attemptId, StreamKind stream) {
        return io.drover.agent.task.AttemptFileNames.name(attemptId, "." + stream.suffix()); // as worker JVMs name them
    }

    /** The marker next to an output that hit the cap; it holds a line saying how much was dropped. */
    public static Path truncationMarker(Path output) {
        return output.resolveSibling(output.getFileName() + ".truncated");
    }

    /**
     * Creates (truncating) the output file of an attempt and returns a writer that keeps at most
     * {@link #capBytes()} of it; the file counts as open until the writer is closed.
     */
    public CappedOutput open(String jobId, int task, long attemptId, StreamKind stream) throws IOException {
        Path file = output(jobId, task, attemptId, stream);
        PrivateFiles.directories(file.getParent());
        Files.deleteIfExists(truncationMarker(file));
        open.add(file);
        try {
            return new CappedOutput(file, capBytes, () -> open.remove(file));
        } catch (IOException | RuntimeException e) {
            open.remove(file);
            throw e;
        }
    }

    /**
     * For a writer outside the JVM (the native launcher): creates the output file of an attempt empty
     * (mode 0600, no marker), counted as open until the returned handle is closed; the writer
     * appends to it and keeps to {@link #capBytes()} and the marker as {@link CappedOutput} does.
     */
    public ExternalOutput reserve(String jobId, int task, long attemptId, StreamKind stream) throws IOException {
        Path file = output(jobId, task, attemptId, stream);
        PrivateFiles.directories(file.getParent());
        Files.deleteIfExists(truncationMarker(file));
        Files.deleteIfExists(file); // a file left by a crash keeps its mode; a new one is 0600
        open.add(file);
        try {
            PrivateFiles.file(file);
        } catch (IOException | RuntimeException e) {
            open.remove(file);
            throw e;
        }
        return new ExternalOutput(file, () -> open.remove(file));
    }

    /** An output file written outside the JVM; closing says it is complete. */
    public record ExternalOutput(Path file, Runnable onClose) implements AutoCloseable {
        @Override
        public void close() {
            onClose.run();
        }
    }

    /** Whether a writer still holds {@code file}: more output may come. */
    public boolean isOpen(Path file) {
        return open.contains(file);
    }

    /** The newest attempt of a task with output on this agent (attempt ids grow over time). */
    public OptionalLong newestAttempt(String jobId, int task) throws IOException {
        Path dir = taskDir(jobId, task);
        if (!Files.isDirectory(dir)) {
            return OptionalLong.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> attemptOf(p.getFileName().toString())).filter(OptionalLong::isPresent)
                    .mapToLong(OptionalLong::getAsLong).max();
        }
    }

    /** The attempt id of an output file's name, if it is one. */
    static OptionalLong attemptOf(String fileName) {
        Matcher m = OUTPUT.matcher(fileName);
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /** A job id as a directory name: no separators, no "..". */
    public static String safeName(String jobId) {
        String safe = UNSAFE.matcher(jobId).replaceAll("_");
        return safe.isEmpty() ? "_" : safe;
    }
}
