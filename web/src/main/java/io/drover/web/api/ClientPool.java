package io.drover.web.api;

import io.drover.http.HttpProblem;
import io.drover.sdk.Credentials;
import io.drover.sdk.DroverClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The gateway's SDK clients, one per distinct token (keyed by the token's SHA-256, so no token sits in a map key),
 * at most {@code max} at once. A client unused for {@code idleAfter} is closed; when the pool is full the least
 * recently used idle one makes room, and when every client is busy the request is refused (503) rather than the
 * pool growing. Calls with the same token share a client and run one after another on its connection.
 */
final class ClientPool implements AutoCloseable {
    private static final class Entry {
        final DroverClient client;
        Instant lastUsed;
        int inUse;

        Entry(DroverClient client, Instant lastUsed) {
            this.client = client;
            this.lastUsed = lastUsed;
        }
    }

    /** A borrowed client; give it back with close(). */
    final class Lease implements AutoCloseable {
        private final String key;
        private final Entry entry;

        private Lease(String key, Entry entry) {
            this.key = key;
            this.entry = entry;
        }

        DroverClient client() {
            return entry.client;
        }

        @Override
        public void close() {
            release(key, entry);
        }
    }

    private final Function<Optional<String>, DroverClient> factory;
    private final int max;
    private final Duration idleAfter;
    private final Clock clock;
    private final Map<String, Entry> clients = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed;

    ClientPool(Function<Optional<String>, DroverClient> factory, int max, Duration idleAfter, Clock clock) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
        this.factory = factory;
        this.max = max;
        this.idleAfter = idleAfter;
        this.clock = clock;
    }

    /** SDK clients of the coordinators at {@code endpoints}, trusting {@code caPem} (empty: plaintext). */
    static Function<Optional<String>, DroverClient> sdkClients(String endpoints, Optional<String> caPem) {
        return token -> {
            Credentials credentials = caPem.map(Credentials::caPem).orElse(Credentials.insecure());
            if (caPem.isPresent() && token.isPresent()) {
                credentials = credentials.withToken(token.get());
            }
            // A web caller waits on the page: give up well before a browser or proxy would.
            return DroverClient.builder().endpoints(endpoints).clientName("drover-web").credentials(credentials)
                    .retryDeadline(Duration.ofSeconds(10)).build();
        };
    }

    /** A client presenting {@code token}; @throws HttpProblem 503 when every pooled client is busy */
    Lease lease(Optional<String> token) throws HttpProblem {
        String key = token.map(ClientPool::sha256).orElse("");
        DroverClient stale = null;
        Entry entry;
        synchronized (this) {
            if (closed) {
                throw HttpProblem.unavailable("the server is stopping");
            }
            Instant now = clock.instant();
            closeIdle(now);
            entry = clients.get(key);
            if (entry == null) {
                if (clients.size() >= max) {
                    stale = evictOne();
                    if (stale == null) {
                        throw HttpProblem.unavailable("too many callers at once (" + max + " distinct tokens busy); "
                                + "try again in a moment");
                    }
                }
                entry = new Entry(factory.apply(token), now);
                clients.put(key, entry);
            }
            entry.inUse++;
            entry.lastUsed = now;
        }
        if (stale != null) {
            stale.close();
        }
        return new Lease(key, entry);
    }

    private synchronized void release(String key, Entry entry) {
        entry.inUse--;
        entry.lastUsed = clock.instant();
        if (closed && entry.inUse == 0) {
            entry.client.close();
        }
    }

    /** Removes the least recently used idle client and returns it for closing outside the lock; null if all are busy. */
    private DroverClient evictOne() {
        for (Iterator<Entry> it = clients.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.inUse == 0) {
                it.remove();
                return e.client;
            }
        }
        return null;
    }

    private void closeIdle(Instant now) {
        for (Iterator<Entry> it = clients.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.inUse == 0 && !e.lastUsed.plus(idleAfter).isAfter(now)) {
                it.remove();
                e.client.close(); // closing a connection nobody uses does not block
            }
        }
    }

    synchronized int size() {
        return clients.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (Entry e : clients.values()) {
            if (e.inUse == 0) {
                e.client.close();
            }
        }
        clients.clear();
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
