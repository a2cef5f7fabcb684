package io.drover.agent.exec;

import io.drover.agent.platform.PrivateFiles;
import io.drover.agent.task.AttemptFileNames;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where one attempt's output goes on the agent:
 * {@code <tasksDir>/<jobId>/<task>/attempt-<attemptId>.stdout} and {@code .stderr}, for process
 * tasks and JVM worker tasks alike, so log retention and {@code drover logs} find both the same way.
 */
public record TaskOutput(Path dir, Path stdout, Path stderr) {
    public static TaskOutput of(Path tasksDir, String jobId, int task, long attemptId) {
        Path dir = tasksDir.resolve(io.drover.agent.logs.TaskOutputs.safeName(jobId)).resolve(Integer.toString(task));
        return new TaskOutput(dir, dir.resolve(AttemptFileNames.name(attemptId, AttemptFileNames.STDOUT)),
                dir.resolve(AttemptFileNames.name(attemptId, AttemptFileNames.STDERR)));
    }

    /** Creates the directory; the files are created by whoever writes them first. */
    public TaskOutput create() throws IOException {
        PrivateFiles.directories(dir);
        return this;
    }

    /** A file next to the output, e.g. {@code attempt-<id>.hs_err.log}. */
    public Path sibling(String suffix) {
        String name = stdout.getFileName().toString();
        return dir.resolve(name.substring(0, name.length() - AttemptFileNames.STDOUT.length()) + suffix);
    }
}
