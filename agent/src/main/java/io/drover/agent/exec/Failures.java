package io.drover.agent.exec;

/** Turns a job's exception into the error text an operator reads in `drover status`. */
final class Failures {
    private static final int TOP_FRAMES = 5;
    private static final int MAX_CHARS = 4096;
    private static final String AGENT_PACKAGE = "io.drover.agent.exec.";

    private Failures() {
    }

    /** "ExceptionClass: message", its top frames, and the same for each cause. */
    static String describe(Throwable error) {
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

    /** Frames above the agent's own: the agent's frames mean nothing to the job's author. */
    private static int jobFrames(StackTraceElement[] frames) {
        for (int i = 0; i < frames.length; i++) {
            if (frames[i].getClassName().startsWith(AGENT_PACKAGE)) {
                return i;
            }
        }
        return frames.length;
    }

    static String truncate(String text) {
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS) + "\n[truncated]";
    }
}
