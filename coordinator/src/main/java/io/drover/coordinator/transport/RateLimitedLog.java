package io.drover.coordinator.transport;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * One WARN line per remote address per minute, with how many were suppressed since: hostile or
 * broken peers must not be able to fill the disk with the coordinator's log.
 */
public final class RateLimitedLog {
    static final long WINDOW_MS = 60_000;
    private static final int MAX_ADDRESSES = 4096;

    private final Logger log;
    private final LongSupplier clockMs;
    private final Map<InetAddress, long[]> windows = new HashMap<>(); // {window start, suppressed}

    public RateLimitedLog(Logger log, LongSupplier clockMs) {
        this.log = log;
        this.clockMs = clockMs;
    }

    /** Logs {@code what} about {@code remote} unless a line about it was logged in the last minute. */
    public void warn(InetAddress remote, String what) {
        long suppressed;
        synchronized (windows) {
            long now = clockMs.getAsLong();
            long[] w = windows.get(remote);
            if (w != null && now - w[0] < WINDOW_MS) {
                w[1]++;
                return;
            }
            if (w == null && windows.size() >= MAX_ADDRESSES) {
                windows.values().removeIf(x -> now - x[0] >= WINDOW_MS);
                if (windows.size() >= MAX_ADDRESSES) {
                    return; // a flood from very many addresses: stay quiet rather than grow
                }
            }
            suppressed = w == null ? 0 : w[1];
            windows.put(remote, new long[] {now, 0});
        }
        if (suppressed > 0) {
            log.warn("{}: {} ({} more from this address in the last minute, not logged)", host(remote), what, suppressed);
        } else {
            log.warn("{}: {} (further ones from this address: one line a minute)", host(remote), what);
        }
    }

    private static String host(InetAddress a) {
        return a == null ? "unknown peer" : a.getHostAddress();
    }
}
