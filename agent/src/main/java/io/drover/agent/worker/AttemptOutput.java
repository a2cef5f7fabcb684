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

    /** Appends the attempt's output to these files from now on. */
    void begin(Path stdout, Path stderr, long maxBytesPerStream) throws IOException {
        OutputStream outFile = open(stdout);
        OutputStream errFile;
        try {
            errFile = open(stderr);
        } catch (IOException e) {
            outFile.close();
            throw e;
        }
        out.switchTo(outFile, maxBytesPerStream);
        err.switchTo(errFile, maxBytesPerStream);
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

    private static OutputStream open(Path file) throws IOException {
        return new BufferedOutputStream(new FileOutputStream(PrivateFiles.file(file).toFile(), true));
    }
}
