package io.drover.agent.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * drover-launch itself: random frames never crash it (it answers with an error, or closes on a bad
 * length), it dies with the process that started it, and when it dies its attempts are killed and
 * still reported. Skipped where it was not built (no C compiler).
 */
class DroverLaunchTest {
    private static final byte[] PROBE = {0, 0, 0, 1, 'Z'}; // an unknown type: always answered with 'E'

    @TempDir
    Path dir;
    private Path binary;
    private final List<Process> started = new ArrayList<>();
    /** A sleep duration no other process has: marks this test's tasks in /proc. */
    private final String marker = "600." + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);

    @BeforeEach
    void locate() {
        binary = NativeLauncher.locate().orElse(null);
        assumeTrue(binary != null, "drover-launch was not built (no C compiler)");
    }

    @AfterEach
    void cleanUp() {
        started.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
        ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> List.of(a).contains(marker)).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void randomFramesGetAnErrorOrAClosedStreamNeverACrash() throws Exception {
        Random random = new Random(ThreadLocalRandom.current().nextLong());
        Launcher launcher = null;
        int closed = 0;
        for (int i = 0; i < 400; i++) {
            if (launcher == null) {
                launcher = new Launcher();
            }
            byte[] frame = randomFrame(random);
            int length = ByteBuffer.wrap(frame).getInt();
            launcher.in.write(frame);
            launcher.in.write(PROBE);
            launcher.in.flush();
            if (length == 0 || length > LauncherProtocol.MAX_REQUEST_BYTES) {
                assertThat(launcher.replyNotF()).as("a bad length is answered, then the launcher closes").startsWith("E");
                assertThat(launcher.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(launcher.process.exitValue()).as("exit code, not a signal").isEqualTo(2);
                launcher = null;
                closed++;
                continue;
            }
            // Every well-framed request is answered by an error or nothing (or, when the broken byte left a valid
            // request, by its reaper's 'F': its output files do not exist); the probe's error comes last.
            String reply;
            while (!(reply = launcher.replyNotF()).equals("E:unknown request type")) {
                assertThat(reply).startsWith("E:");
            }
        }
        assertThat(closed).as("some lengths were bad").isPositive();
        if (launcher != null) {
            launcher.in.close();
            assertThat(launcher.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(launcher.process.exitValue()).isZero();
        }
    }

    /** A frame of random length (some bad), type (mostly 'S' and 'K') and bytes, or a start request with one field broken. */
    private static byte[] randomFrame(Random random) throws LauncherException {
        int kind = random.nextInt(10);
        if (kind == 0) {
            return ByteBuffer.allocate(4).putInt(random.nextBoolean() ? 0 : LauncherProtocol.MAX_REQUEST_BYTES + 1 + random.nextInt(1 << 20))
                    .array();
        }
        if (kind <= 3) {
            byte[] valid = new LaunchRequest(7, 100, Path.of("/"), Path.of("/nonexistent/out"), Path.of("/nonexistent/err"),
                    List.of("/bin/true"), Map.of("A", "b"), List.of()).frame();
            int at = 5 + 16 + random.nextInt(valid.length - 21); // a length or string byte, not the id or the cap
            valid[at] = (byte) random.nextInt(256);
            if (random.nextBoolean()) { // or cut short, the frame length adjusted
                int cut = 6 + random.nextInt(valid.length - 6);
                valid = java.util.Arrays.copyOf(valid, cut);
                ByteBuffer.wrap(valid).putInt(cut - 4);
            }
            return valid;
        }
        int length = 1 + random.nextInt(200);
        byte[] body = new byte[length];
        random.nextBytes(body);
        body[0] = switch (random.nextInt(3)) {
            case 0 -> (byte) 'S';
            case 1 -> (byte) 'K';
            default -> body[0];
        };
        return ByteBuffer.allocate(4 + length).putInt(length).put(body).array();
    }

    @Test
    void theLauncherDiesWithTheProcessThatStartedIt() throws Exception {
        // The "agent" is a shell; the launcher's stdin stays open (a sleep writes into it), so only its death signal ends it.
        Process agent = new ProcessBuilder("/bin/sh", "-c", "sleep " + marker + " | \"$0\" $$ >/dev/null & wait", binary.toString())
                .redirectErrorStream(true).start();
        started.add(agent);
        await().atMost(Duration.ofSeconds(10)).until(() -> launcherUnder(agent) != null);
        ProcessHandle launcher = launcherUnder(agent);

        agent.destroyForcibly();

        await().atMost(Duration.ofSeconds(10)).until(() -> !launcher.isAlive());
    }

    private static ProcessHandle launcherUnder(Process agent) {
        return agent.children().filter(p -> p.info().command().orElse("").endsWith("drover-launch")).findFirst().orElse(null);
    }

    @Test
    void closingItsInputEndsItAndTheAttemptsItRuns() throws Exception {
        try (NativeLauncher launcher = NativeLauncher.start(binary, "dl")) {
            NativeRun run = launcher.start(request(1));
            run.awaitStart();
            await().atMost(Duration.ofSeconds(10)).until(() -> withMarker() == 2);

            long closing = System.nanoTime();
            launcher.close();

            assertThat(Duration.ofNanos(System.nanoTime() - closing)).as("it ended by itself, not killed after close's wait")
                    .isLessThan(Duration.ofSeconds(2));
            assertThat(ProcessHandle.of(launcher.pid())).isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> withMarker() == 0);
        }
    }

    @Test
    void whenItIsKilledItsAttemptsAreKilledAndStillReported() throws Exception {
        try (NativeLauncher launcher = NativeLauncher.start(binary, "dl")) {
            NativeRun run = launcher.start(request(2));
            run.awaitStart();
            await().atMost(Duration.ofSeconds(10)).until(() -> withMarker() == 2);

            ProcessHandle.of(launcher.pid()).orElseThrow().destroyForcibly();

            assertThat(run.awaitExit(Duration.ofSeconds(10))).isEqualTo(OptionalInt.of(128 + 9));
            await().atMost(Duration.ofSeconds(10)).until(() -> !launcher.usable()); // the JDK notices the exit on a thread of its own
            await().atMost(Duration.ofSeconds(10)).until(() -> withMarker() == 0);
            launcher.close();
        }
    }

    /** A daemonizing double fork beside a sleep: two processes with the marker, one of them orphaned. */
    private LaunchRequest request(long attemptId) throws IOException {
        Path out = Files.createFile(dir.resolve(attemptId + ".out"));
        Path err = Files.createFile(dir.resolve(attemptId + ".err"));
        return new LaunchRequest(attemptId, 1000, dir, out, err,
                List.of("/bin/sh", "-c", "setsid /bin/sh -c 'sleep " + marker + " & exit 0' & exec sleep " + marker),
                Map.of("PATH", "/usr/bin:/bin"), List.of());
    }

    private long withMarker() {
        return ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> List.of(a).contains(marker)).orElse(false))
                .count();
    }

    /** drover-launch started directly, its replies read by a thread of its own. */
    private final class Launcher {
        final Process process;
        final DataOutputStream in;
        final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

        Launcher() throws IOException, InterruptedException {
            process = new ProcessBuilder(binary.toString()).start();
            started.add(process);
            in = new DataOutputStream(process.getOutputStream());
            Thread reader = new Thread(this::read, "drover-launch-test-replies");
            reader.setDaemon(true);
            reader.start();
            assertThat(reply()).startsWith("H");
        }

        /** The next reply but a reaper's 'F' (those come when the reaper gets to it). */
        String replyNotF() throws InterruptedException {
            String reply;
            while ((reply = reply()).equals("F")) {
                // a broken request that was still valid: its reaper could not open the output files
            }
            return reply;
        }

        /** "E:text", "H", ..., or "EOF". */
        String reply() throws InterruptedException {
            String reply = replies.poll(10, TimeUnit.SECONDS);
            assertThat(reply).as("a reply within 10 s").isNotNull();
            return reply;
        }

        private void read() {
            try (DataInputStream out = new DataInputStream(process.getInputStream())) {
                while (true) {
                    int length = out.readInt();
                    assertThat(length).isBetween(1, LauncherProtocol.MAX_REPLY_BYTES);
                    byte[] body = out.readNBytes(length);
                    ByteBuffer reply = ByteBuffer.wrap(body);
                    char type = (char) reply.get();
                    if (type == 'E') {
                        reply.getLong();
                        byte[] text = new byte[reply.getInt()];
                        reply.get(text);
                        replies.add("E:" + new String(text, StandardCharsets.UTF_8));
                    } else {
                        replies.add(String.valueOf(type));
                    }
                }
            } catch (EOFException e) {
                replies.add("EOF");
            } catch (IOException | RuntimeException | AssertionError e) {
                replies.add("broken: " + e);
            }
        }
    }
}
