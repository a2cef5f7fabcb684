package io.drover.coordinator.watchdog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a coordinator process ends when it cannot serve: {@code System.exit} (shutdown hooks flush
 * the log), and a halt if the hooks hang on the very threads that are stuck. Also the default
 * uncaught-exception handler that treats {@link OutOfMemoryError} as fatal, for runs without
 * {@code -XX:+ExitOnOutOfMemoryError}.
 */
public final class ProcessExit implements ServingWatchdog.Exit {
    private static final Logger log = LoggerFactory.getLogger(ProcessExit.class);
    /** Exit code after an OutOfMemoryError, the same as -XX:+ExitOnOutOfMemoryError's. */
    public static final int OUT_OF_MEMORY = 3;
    private static final long HALT_AFTER_MS = 5_000;

    @Override
    public void exit(int code, String why) {
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(HALT_AFTER_MS);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(code);
        }, "drover-halt");
        halt.setDaemon(true);
        halt.start();
        Thread exit = new Thread(() -> System.exit(code), "drover-exit");
        exit.start(); // not on the caller's thread: a shutdown hook may wait for it
    }

    /** Installs the handler: an OutOfMemoryError anywhere ends the process; other errors are logged. */
    public static void installFatalErrorHandler(ServingWatchdog.Exit exit) {
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            if (error instanceof OutOfMemoryError) {
                try {
                    log.error("OutOfMemoryError on thread {}; exiting with code {}", thread.getName(), OUT_OF_MEMORY);
                } finally {
                    exit.exit(OUT_OF_MEMORY, "OutOfMemoryError on " + thread.getName());
                }
            } else {
                log.error("uncaught exception on thread {}", thread.getName(), error);
            }
        });
    }
}
