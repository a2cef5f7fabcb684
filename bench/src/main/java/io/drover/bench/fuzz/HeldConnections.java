package io.drover.bench.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Connections opened and held open by the fuzzer (idle, slow, buffer-claiming, or stuck in a TLS
 * handshake) while a probe checks that the server still answers others; then counts how many of
 * them the server had closed.
 */
final class HeldConnections {
    /** What happens to each held socket: once when it opens, then every 100 ms while held. */
    interface Script {
        void opened(Socket s) throws IOException;

        /** Called with 0, 1, 2, ... every 100 ms while the connections are held. */
        default void tick(Socket s, int step) throws IOException {
        }
    }

    private HeldConnections() {
    }

    /**
     * Holds {@code count} connections for {@code holdMillis}; then, for at most {@code graceMillis}
     * more, waits for the server to close the ones still open (0: counts them at once).
     */
    static ProtocolFuzz.HeldResult hold(FuzzDialer dialer, String mode, int count, long holdMillis, long graceMillis,
                                        Runnable probe, Script script) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        long refused = 0;
        try {
            for (int i = 0; i < count; i++) {
                Socket s;
                try {
                    s = dialer.open();
                } catch (IOException e) {
                    refused++;
                    continue;
                }
                sockets.add(s);
                s.setSoTimeout(1);
                script.opened(s);
            }
            long start = System.nanoTime();
            long deadline = start + TimeUnit.MILLISECONDS.toNanos(holdMillis);
            probe.run();
            for (int step = 0; System.nanoTime() < deadline; step++) {
                for (Socket s : sockets) {
                    try {
                        script.tick(s, step);
                    } catch (IOException e) {
                        // the server closed it: counted at the end
                    }
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
            List<Socket> open = new ArrayList<>(sockets);
            open.removeIf(HeldConnections::closedByServer);
            int closedInHold = sockets.size() - open.size();
            long graceEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
            while (!open.isEmpty() && System.nanoTime() < graceEnd) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                open.removeIf(HeldConnections::closedByServer);
            }
            long allClosedMs = open.isEmpty() ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) : -1;
            return new ProtocolFuzz.HeldResult(mode, count, refused, closedInHold, sockets.size() - open.size(), holdMillis,
                    allClosedMs);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** Reads what the server sent (a TLS server's first flight, say) up to its close, if it closed. */
    private static boolean closedByServer(Socket s) {
        byte[] sink = new byte[16 * 1024];
        try {
            InputStream in = s.getInputStream();
            while (true) {
                if (in.read(sink) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }
}
