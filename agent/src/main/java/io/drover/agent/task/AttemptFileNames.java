package io.drover.agent.task;

/**
 * How an attempt's files are named in its job's task directory, as strings: the agent's
 * {@code exec/TaskOutput} and a worker JVM completing a protocol 3 task from its job's template
 * ({@code RunTask.taskDirs}) must agree, and the worker builds no {@code Path} for a file it may never write.
 */
public final class AttemptFileNames {
    public static final String STDOUT = ".stdout";
    public static final String STDERR = ".stderr";
    public static final String RESULT = ".result";

    private AttemptFileNames() {
    }

    /** {@code <jobDir>/<task>/attempt-<attemptId>}: add one of the suffixes above. */
    public static String base(String jobDir, int task, long attemptId) {
        return jobDir + "/" + task + "/attempt-" + attemptId;
    }

    /** The file name of an attempt's file in its task's directory. */
    public static String name(long attemptId, String suffix) {
        return "attempt-" + attemptId + suffix;
    }
}
