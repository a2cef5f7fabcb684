package io.drover.agent.workers;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How a worker JVM ended in the middle of a task, in words for {@code drover status}: the job
 * exited, the JVM crashed, or something killed it.
 *
 * @param pid         the worker's process id
 * @param exitStatus  its exit status; 128 + N when signal N killed it; -1 if it had to be killed after it broke the connection
 * @param crashReport the JVM's fatal error report (hs_err file), if it wrote one
 * @param output      what the worker JVM itself printed during the attempt (JVM messages, crash summary), possibly cut
 */
public record WorkerEnd(long pid, int exitStatus, Optional<Path> crashReport, String output) {
    private static final int OUTPUT_IN_ERROR_CHARS = 1500;
    private static final Map<Integer, String> SIGNALS = Map.of(1, "SIGHUP", 2, "SIGINT", 3, "SIGQUIT", 4, "SIGILL",
            6, "SIGABRT", 7, "SIGBUS", 8, "SIGFPE", 9, "SIGKILL", 11, "SIGSEGV", 15, "SIGTERM");

    public WorkerEnd withCrashReport(Path moved) {
        return new WorkerEnd(pid, exitStatus, Optional.of(moved), output);
    }

    /** What happened, and the end of the worker's own output. */
    public String describe() {
        String what;
        if (crashReport.isPresent()) {
            what = "the worker JVM (pid " + pid + ") crashed: a fatal error in the JVM or in native code (for example "
                    + "sun.misc.Unsafe misuse or a JNI library), exit status " + exitStatus + "; crash report " + crashReport.get();
        } else if (exitStatus > 128 && exitStatus < 160) {
            int signal = exitStatus - 128;
            what = "the worker JVM (pid " + pid + ") was killed by signal " + signal + " ("
                    + SIGNALS.getOrDefault(signal, "signal " + signal) + ")"
                    + (signal == 9 ? ", by the kernel's out-of-memory killer or an operator" : "");
        } else if (exitStatus < 0) {
            what = "the worker JVM (pid " + pid + ") broke its connection to the agent and was killed";
        } else {
            what = "the worker JVM (pid " + pid + ") exited with status " + exitStatus
                    + " in the middle of the task: the job called System.exit(" + exitStatus + ") or Runtime.halt(" + exitStatus + ")";
        }
        String tail = output.strip();
        if (tail.isEmpty()) {
            return what;
        }
        if (tail.length() > OUTPUT_IN_ERROR_CHARS) {
            tail = "..." + tail.substring(tail.length() - OUTPUT_IN_ERROR_CHARS);
        }
        return what + "\nworker JVM output:\n" + tail;
    }
}
