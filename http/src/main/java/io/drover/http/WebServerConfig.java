package io.drover.http;

import java.net.InetSocketAddress;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * How a {@link WebServer} listens and what it bounds.
 *
 * @param listen where to listen; port 0 picks a free one
 * @param tls HTTPS with this context (the cluster's server certificate), or plain HTTP when empty
 * @param threads request threads; a streaming response (server-sent events) holds one for its life
 * @param maxQueuedRequests requests waiting for a thread beyond which the dispatcher itself waits, so the
 *     kernel's accept backlog, not our heap, holds the excess
 * @param maxBodyBytes largest request body read; larger is refused with 413 before it is read
 * @param maxStreams streaming responses open at once; more are refused with 503 so they cannot take
 *     every thread
 */
public record WebServerConfig(InetSocketAddress listen, Optional<SSLContext> tls, int threads, int maxQueuedRequests,
        int maxBodyBytes, int maxStreams) {

    public WebServerConfig {
        if (threads < 2 || maxQueuedRequests < 1 || maxBodyBytes < 1 || maxStreams < 0 || maxStreams >= threads) {
            throw new IllegalArgumentException("bad web server bounds: threads " + threads + ", queue " + maxQueuedRequests
                    + ", body " + maxBodyBytes + ", streams " + maxStreams + " (streams must leave threads free)");
        }
    }

    /**
     * Defaults sized for a team's consoles, an API and a scraper: 32 threads (idle ones end after 30 s),
     * 64 queued, 1 MiB bodies, 24 live streams (one per open console tab), which leaves 8 threads for
     * everything else.
     */
    public static WebServerConfig defaults(InetSocketAddress listen, Optional<SSLContext> tls) {
        return new WebServerConfig(listen, tls, 32, 64, 1 << 20, 24);
    }
}
