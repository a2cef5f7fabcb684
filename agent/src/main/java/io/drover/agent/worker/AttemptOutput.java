package io.drover.agent.worker;

import io.drover.agent.platform.PrivateFiles;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Routes {@code System.out} and {@code System.err} to the running attempt's files, and back to the
 * worker process's own streams (the worker log on the agent) between attempts. Output that bypasses
 * {@code System.out} (JVM messages, native code, a crash report summary) always goes to the
 * worker log; the agent copies its tail into the attempt's stderr when the worker dies mid-task.
 */
final class AttemptOutput {
    private final PrintStream processErr;
    private final CappedSwitchingStream out;
    private final CappedSwitchingStream err;

    private AttemptOutput(PrintStream processOut, PrintStream processErr) {
        this.processErr = processErr;
        this.out = new CappedSwitchingStream(processOut);
        this.err = new CappedSwitchingStream(processErr);
    }

    /** Replaces {@code System.out} and {@code System.err}; call once, at start-up. */
    static AttemptOutput install() {
        AttemptOutput output = new AttemptOutput(System.out, System.err);
        System.setOut(new PrintStream(output.out, true));
        System.setErr(new PrintStream(output.err, true));
        return output;
    }

    /** The worker's own stderr, for the worker's messages about itself. */
    PrintStream processErr() {
        return processErr;
    }

    /**
     * Appends the attempt's output to these files from now on. A file is created on the attempt's
     * first write to it: opening, buffering and closing two files per attempt was most of a no-op
     * task's time in the worker, and most tasks print nothing. Never throws now; kept for callers.
     */
    void begin(String stdout, String stderr, long maxBytesPerStream) throws IOException {
        out.switchTo(new LazyFile(stdout), maxBytesPerStream);
        err.switchTo(new LazyFile(stderr), maxBytesPerStream);
    }

    /** Flushes and closes the attempt's files; output goes to the worker's own streams again. */
    void end() throws IOException {
        System.out.flush();
        System.err.flush();
        IOException first = null;
        for (CappedSwitchingStream stream : new CappedSwitchingStream[] {out, err}) {
            try {
                stream.switchBack().close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * An attempt's output file, opened for appending on the first write. A failure to open it is
     * kept and thrown again by {@link #close}, so the attempt's end reports it on the worker log
     * (the job's own PrintStream would swallow it).
     */
    static final class LazyFile extends OutputStream {
        private final String name; // made a Path only when written: most attempts print nothing
        private OutputStream file;
        private IOException openFailure;

        LazyFile(String name) {
            this.name = name;
        }

        LazyFile(Path path) {
            this(path.toString());
        }

        private OutputStream file() throws IOException {
            if (file == null) {
                if (openFailure != null) {
                    throw openFailure;
                }
                try {
                    Path path = Path.of(name);
                    PrivateFiles.directories(path.getParent()); // the agent leaves the attempt's directory to its first file
                    file = new BufferedOutputStream(new FileOutputStream(PrivateFiles.file(path).toFile(), true));
                } catch (IOException | java.nio.file.InvalidPathException e) {
                    openFailure = new IOException("cannot open " + name + ": " + e.getMessage(), e);
                    throw openFailure;
                }
            }
            return file;
        }

        boolean opened() {
            return file != null;
        }

        @Override
        public void write(int b) throws IOException {
            file().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                file().write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            if (file != null) {
                file.flush();
            }
        }

        @Override
        public void close() throws IOException {
            if (file != null) {
                file.close();
            } else if (openFailure != null) {
                throw openFailure;
            }
        }
    }
}
