package io.drover.agent.jobcode;

import java.util.List;

/** Turns a job's exception into the error text an operator reads in `drover status`. */
public final class Failures {
    private static final int TOP_FRAMES = 5;
    private static final int MAX_CHARS = 4096;
    /** Packages whose frames run job code: everything from the first of them down is the agent's. */
    private static final List<String> RUNNER_PACKAGES = List.of("io.drover.agent.exec.", "io.drover.agent.jobcode.",
            "io.drover.agent.worker.");

    private Failures() {
    }

    /** "ExceptionClass: message", its top frames, and the same for each cause. */
    public static String describe(Throwable error) {
        StringBuilder out = new StringBuilder();
        Throwable t = error;
        for (int depth = 0; t != null && depth < 5; depth++, t = t.getCause()) {
            if (depth > 0) {
                out.append("\nCaused by: ");
            }
            out.append(t);
            StackTraceElement[] frames = t.getStackTrace();
            int shown = Math.min(TOP_FRAMES, jobFrames(frames));
            for (int i = 0; i < shown; i++) {
                out.append("\n\tat ").append(frames[i]);
            }
            if (frames.length > shown) {
                out.append("\n\t... ").append(frames.length - shown).append(" more");
            }
        }
        return truncate(out.toString());
    }

    /** Frames above the agent's (or worker's) own: those mean nothing to the job's author. */
    private static int jobFrames(StackTraceElement[] frames) {
        for (int i = 0; i < frames.length; i++) {
            if (isRunnerFrame(frames[i])) {
                return i;
            }
        }
        return frames.length;
    }

    /** Whether the frame belongs to the code that runs jobs (not to the job). */
    public static boolean isRunnerFrame(StackTraceElement frame) {
        String type = frame.getClassName();
        return RUNNER_PACKAGES.stream().anyMatch(type::startsWith);
    }

    public static String truncate(String text) {
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS) + "\n[truncated]";
    }
}
