package io.drover.agent.launch;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of {@code drover-launch} (agent/src/main/c): one launcher process per agent,
 * started once, that starts every process task with one exec and reports its start and exit.
 * Requests go over its stdin under a lock (a frame each); one reader thread takes its replies and
 * completes the attempts' {@link NativeRun}s, so no JVM thread per task waits on a process or
 * pumps its output. The reader thread also starts the launcher: the launcher's
 * {@code PR_SET_PDEATHSIG} fires when the thread that started it ends, so that thread lives as
 * long as the launcher.
 *
 * <p>Once the launcher is gone ({@link #usable()} false) attempts start through the JDK again;
 * attempts it was running are reported by their reapers, which kill them when the launcher dies.
 */
public final class NativeLauncher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NativeLauncher.class);
    /** System property naming the launcher binary (tests); empty: none. */
    public static final String PATH_PROPERTY = "drover.launcher";
    private static final Duration HELLO_WAIT = Duration.ofSeconds(10);
    private static final int MAX_RUNS = LauncherProtocol.MAX_ATTEMPTS; // more would be refused by the launcher

    private final Path binary;
    private final Map<Long, NativeRun> runs = new ConcurrentHashMap<>();
    private final CompletableFuture<Process> spawned = new CompletableFuture<>();
    private final CompletableFuture<Long> hello = new CompletableFuture<>();
    private final Process process;
    private final OutputStream requests;
    private volatile boolean gone;
    private volatile boolean closing;

    private NativeLauncher(Path binary, String agentId) throws IOException {
        this.binary = binary;
        Thread reader = new Thread(this::spawnAndRead, "drover-" + agentId + "-launcher");
        reader.setDaemon(true);
        reader.start();
        try {
            this.process = spawned.get();
            hello.get(HELLO_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("cannot start " + binary + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            spawned.thenAccept(Process::destroyForcibly);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException(binary + " did not answer within " + HELLO_WAIT.toSeconds() + " s");
        }
        this.requests = process.getOutputStream();
        process.onExit().thenAccept(this::exited);
    }

    /** Starts the launcher at {@code binary}; it has answered when this returns. */
    public static NativeLauncher start(Path binary, String agentId) throws IOException {
        return new NativeLauncher(binary, agentId);
    }

    /**
     * The launcher as {@code --launcher} asks: none for JDK; for AUTO the installed one if it starts (else none,
     * logged); for NATIVE the installed one or an {@link IllegalStateException} (the agent refuses to start).
     */
    public static Optional<NativeLauncher> choose(LauncherMode mode, String agentId) {
        if (mode == LauncherMode.JDK) {
            log.info("process tasks start through the JDK (--launcher jdk)");
            return Optional.empty();
        }
        Optional<Path> binary = locate();
        String why;
        if (binary.isPresent()) {
            try {
                NativeLauncher launcher = start(binary.get(), agentId);
                log.info("process tasks start through the native launcher {} (pid {})", binary.get(), launcher.pid());
                return Optional.of(launcher);
            } catch (IOException e) {
                why = e.getMessage();
            }
        } else {
            why = "no drover-launch installed (lib/native/drover-launch of the release)";
        }
        if (mode == LauncherMode.NATIVE) {
            throw new IllegalStateException("agent " + agentId + " cannot use the native launcher: " + why);
        }
        log.warn("native launcher not used ({}); process tasks start through the JDK", why);
        return Optional.empty();
    }

    /** The launcher binary: the {@value #PATH_PROPERTY} property, else the release's or the source checkout's. */
    public static Optional<Path> locate() {
        String named = System.getProperty(PATH_PROPERTY);
        if (named != null) {
            return named.isBlank() ? Optional.empty() : Optional.of(Path.of(named)).filter(Files::isExecutable);
        }
        String home = System.getProperty("drover.home");
        if (home == null) {
            return Optional.empty();
        }
        return Stream.of("lib/native/drover-launch", "agent/target/native/drover-launch").map(Path.of(home)::resolve)
                .filter(Files::isExecutable).findFirst();
    }

    public long pid() {
        return process.pid();
    }

    /** Whether new attempts can go to the launcher. */
    public boolean usable() {
        return !gone;
    }

    /** Hands an attempt to the launcher; {@link LauncherException} when it cannot take it (start it another way). */
    public NativeRun start(LaunchRequest request) throws LauncherException {
        byte[] frame = request.frame();
        NativeRun run = new NativeRun(request.attemptId());
        if (runs.size() >= MAX_RUNS || runs.putIfAbsent(request.attemptId(), run) != null) {
            throw new LauncherException("attempt " + request.attemptId() + " is running already, or too many are");
        }
        try {
            send(frame);
        } catch (LauncherException e) {
            runs.remove(request.attemptId(), run); // not sent: nothing of it ran
            throw e;
        }
        if (gone && runs.remove(request.attemptId(), run)) {
            // Sent, but the reader may have failed the runs it knew before this one was added. The launcher may
            // have started it: lost, not refused, so it is not started a second time another way.
            run.lost(new LauncherException("the launcher went as it took the attempt"));
        }
        return run;
    }

    /** Sends SIGTERM or SIGKILL to every process of the attempt (nothing if it is over). */
    public void kill(long attemptId, int signal) throws LauncherException {
        if (signal != 15 && signal != 9) {
            throw new IllegalArgumentException("only SIGTERM (15) and SIGKILL (9) are forwarded, not " + signal);
        }
        ByteBuffer frame = ByteBuffer.allocate(14).putInt(10).put(LauncherProtocol.KILL).putLong(attemptId).put((byte) signal);
        send(frame.array());
    }

    private void send(byte[] frame) throws LauncherException {
        if (gone) {
            throw new LauncherException("the launcher is gone");
        }
        synchronized (this) {
            try {
                requests.write(frame);
                requests.flush();
            } catch (IOException e) {
                gone = true;
                throw new LauncherException("cannot write to the launcher: " + e.getMessage());
            }
        }
    }

    private void spawnAndRead() {
        Process started;
        try {
            started = new ProcessBuilder(binary.toString(), Long.toString(ProcessHandle.current().pid()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException | RuntimeException e) {
            spawned.completeExceptionally(e);
            return;
        }
        spawned.complete(started);
        String end = "its output ended";
        try (InputStream replies = started.getInputStream()) {
            read(new DataInputStream(new BufferedInputStream(replies, 8192)));
        } catch (EOFException e) {
            // every writer (the launcher and its reapers) is gone
        } catch (IOException | RuntimeException e) {
            end = e.toString();
            started.destroyForcibly();
        } finally {
            gone = true;
            hello.completeExceptionally(new IOException("the launcher ended before it answered: " + end));
            LauncherException lost = new LauncherException("the launcher ended (" + end + ")");
            runs.values().forEach(run -> run.lost(lost));
            runs.clear();
        }
    }

    private void read(DataInputStream in) throws IOException {
        while (true) {
            int length = in.readInt();
            if (length < 1 || length > LauncherProtocol.MAX_REPLY_BYTES) {
                throw new IOException("bad reply length " + length);
            }
            byte[] body = new byte[length];
            in.readFully(body);
            ByteBuffer reply = ByteBuffer.wrap(body);
            byte type = reply.get();
            if (type == LauncherProtocol.HELLO) {
                int version = reply.getInt();
                if (version != LauncherProtocol.VERSION) {
                    throw new IOException("launcher protocol version " + version + ", expected " + LauncherProtocol.VERSION);
                }
                hello.complete((long) reply.getInt());
                continue;
            }
            long attemptId = reply.getLong();
            switch (type) {
                case LauncherProtocol.STARTED -> with(attemptId, false, run -> run.started(Integer.toUnsignedLong(reply.getInt())));
                case LauncherProtocol.FAILED -> with(attemptId, true, run -> run.failed(new LaunchFailedException(text(reply))));
                case LauncherProtocol.EXITED -> with(attemptId, true, run -> run.exited(reply.getInt()));
                case LauncherProtocol.ERROR -> {
                    String why = text(reply);
                    log.warn("the native launcher refused a request (attempt {}): {}", attemptId, why);
                    NativeRun run = runs.get(attemptId);
                    // Refusing a start leaves nothing running; refusing a kill of a started attempt does not end it.
                    if (run != null && !run.hasStarted() && runs.remove(attemptId, run)) {
                        run.lost(new LaunchRefusedException("the launcher refused the attempt: " + why));
                    }
                }
                default -> throw new IOException("unknown reply type " + type);
            }
        }
    }

    private void with(long attemptId, boolean last, java.util.function.Consumer<NativeRun> action) {
        NativeRun run = last ? runs.remove(attemptId) : runs.get(attemptId);
        if (run != null) {
            action.accept(run);
        }
    }

    private static String text(ByteBuffer reply) throws java.nio.BufferUnderflowException {
        int length = reply.getInt();
        if (length < 0 || length > reply.remaining()) {
            throw new IllegalArgumentException("bad text length " + length + " in a launcher reply");
        }
        byte[] bytes = new byte[length];
        reply.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void exited(Process launcher) {
        gone = true;
        if (!closing) {
            log.error("the native launcher (pid {}) exited with code {}: process tasks start through the JDK from now on",
                    launcher.pid(), launcher.exitValue());
        }
    }

    /** Ends the launcher: its stdin closes, it exits, and reapers still running kill their attempts. */
    @Override
    public void close() {
        closing = true;
        gone = true;
        synchronized (this) {
            try {
                requests.close();
            } catch (IOException e) {
                log.debug("closing the launcher's input: {}", e.toString());
            }
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
