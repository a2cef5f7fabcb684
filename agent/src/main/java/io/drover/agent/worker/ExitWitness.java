package io.drover.agent.worker;

import io.drover.agent.jobcode.Failures;
import io.drover.protocol.worker.RunTask;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A shutdown hook that, when the JVM exits while an attempt runs (the job called
 * {@code System.exit}), writes which thread called it and from where, to the attempt's stderr and
 * to the worker log. The agent names the exit status; this names the culprit.
 * ({@code Runtime.halt} runs no hooks and leaves only the status.)
 */
final class ExitWitness implements Runnable {
    private static final int FRAMES = 6;

    private final Supplier<Optional<RunTask>> current;
    private final PrintStream processErr;

    ExitWitness(Supplier<Optional<RunTask>> current, PrintStream processErr) {
        this.current = current;
        this.processErr = processErr;
    }

    @Override
    public void run() {
        Optional<RunTask> task = current.get();
        if (task.isEmpty()) {
            return;
        }
        String note = "drover worker: the JVM is exiting during attempt " + task.get().getAttemptId() + " of job "
                + task.get().getJobId() + caller().map(c -> "; System.exit was called " + c).orElse("");
        System.err.println(note);
        System.err.flush();
        processErr.println(note);
        processErr.flush();
    }

    /** "by thread T at frame, frame, ...", the frames below Runtime.exit. */
    private static Optional<String> caller() {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            StackTraceElement[] frames = e.getValue();
            for (int i = 0; i < frames.length; i++) {
                if (frames[i].getClassName().equals("java.lang.Runtime") && frames[i].getMethodName().equals("exit")) {
                    StringBuilder where = new StringBuilder("by thread \"").append(e.getKey().getName()).append("\" at");
                    int from = i + 1;
                    if (from < frames.length && frames[from].getClassName().equals("java.lang.System")) {
                        from++;
                    }
                    for (int j = from; j < Math.min(frames.length, from + FRAMES) && !Failures.isRunnerFrame(frames[j]); j++) {
                        where.append("\n\t").append(frames[j]);
                    }
                    return Optional.of(where.toString());
                }
            }
        }
        return Optional.empty();
    }
}
