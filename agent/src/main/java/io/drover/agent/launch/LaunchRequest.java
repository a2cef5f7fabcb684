package io.drover.agent.launch;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One attempt for the native launcher: its command (argv[0] found on the task's own PATH), the
 * whole environment, working directory, the two output files (made by the agent, capped at
 * {@code capBytes} by the launcher) and the {@code cgroup.procs} files its command joins (none
 * under tracking).
 */
public record LaunchRequest(long attemptId, long capBytes, Path workDir, Path stdout, Path stderr, List<String> argv,
                            Map<String, String> environment, List<Path> cgroupProcs) {
    public LaunchRequest {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
        cgroupProcs = List.copyOf(cgroupProcs);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("no command");
        }
    }

    /** The 'S' frame (see drover-launch.c); strings with a NUL byte cannot be passed to exec and are refused. */
    byte[] frame() throws LauncherException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0); // length, filled in below
            out.writeByte('S');
            out.writeLong(attemptId);
            out.writeLong(capBytes);
            string(out, workDir.toString());
            string(out, stdout.toString());
            string(out, stderr.toString());
            out.writeInt(argv.size());
            for (String arg : argv) {
                string(out, arg);
            }
            out.writeInt(environment.size());
            for (Map.Entry<String, String> e : environment.entrySet()) {
                string(out, e.getKey() + "=" + e.getValue());
            }
            out.writeInt(cgroupProcs.size());
            for (Path file : cgroupProcs) {
                string(out, file.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        byte[] frame = bytes.toByteArray();
        int length = frame.length - 4;
        if (length > LauncherProtocol.MAX_REQUEST_BYTES) {
            throw new LauncherException("the command line and environment take " + length + " bytes, more than the launcher's "
                    + LauncherProtocol.MAX_REQUEST_BYTES);
        }
        frame[0] = (byte) (length >>> 24);
        frame[1] = (byte) (length >>> 16);
        frame[2] = (byte) (length >>> 8);
        frame[3] = (byte) length;
        return frame;
    }

    private static void string(DataOutputStream out, String text) throws IOException, LauncherException {
        if (text.indexOf('\0') >= 0) {
            throw new LauncherException("a NUL character in an argument or environment variable");
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }
}
