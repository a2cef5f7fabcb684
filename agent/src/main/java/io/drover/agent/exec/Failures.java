package io.drover.agent.exec;

/** Turns a job's exception into the error text an operator reads in `drover status`. */
final class Failures {
    private static final int TOP_FRAMES = 5;
    private static final int MAX_CHARS = 4096;

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
            for (int i = 0; i < Math.min(TOP_FRAMES, frames.length); i++) {
                out.append("\n\tat ").append(frames[i]);
            }
            if (frames.length > TOP_FRAMES) {
                out.append("\n\t... ").append(frames.length - TOP_FRAMES).append(" more");
            }
        }
        return truncate(out.toString());
    }

    static String truncate(String text) {
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS) + "\n[truncated]";
    }
}
