package io.drover.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK's HTTP server with our bounds and routes. Every response carries headers that stop a browser
 * from sniffing, framing or leaking referrers; problems are answered as {@code {"error": "..."}} JSON;
 * a route that throws unexpectedly is a 500 logged here with the route's path, never a stack trace sent.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    private static final int QUERY_PARAMS = 64;

    private final WebServerConfig config;
    private final Routes routes;
    private final Json json;
    private final HttpServer server;
    private final ThreadPoolExecutor threads;
    private final Semaphore streams;

    private WebServer(WebServerConfig config, Routes routes, Json json, HttpServer server, ThreadPoolExecutor threads) {
        this.config = config;
        this.routes = routes;
        this.json = json;
        this.server = server;
        this.threads = threads;
        this.streams = new Semaphore(config.maxStreams());
    }

    /** Binds and starts; the routes may still gain entries afterwards (they are looked up per request). */
    public static WebServer start(String name, WebServerConfig config, Routes routes, Json json) throws IOException {
        HttpServer server;
        if (config.tls().isPresent()) {
            HttpsServer https = HttpsServer.create(config.listen(), 64);
            https.setHttpsConfigurator(new HttpsConfigurator(config.tls().get()) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters p = getSSLContext().getDefaultSSLParameters();
                    // Browsers and scrapers present no client certificate: callers prove who they are with tokens.
                    p.setNeedClientAuth(false);
                    p.setWantClientAuth(false);
                    params.setSSLParameters(p);
                }
            });
            server = https;
        } else {
            server = HttpServer.create(config.listen(), 64);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(config.threads(), config.threads(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.maxQueuedRequests()), r -> {
                    Thread t = new Thread(r, name + "-http-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        pool.allowCoreThreadTimeOut(true);
        server.setExecutor(pool);
        WebServer web = new WebServer(config, routes, json, server, pool);
        server.createContext("/", web::exchange);
        server.start();
        log.info("{} serving {} on {}", name, config.tls().isPresent() ? "HTTPS" : "HTTP", web.address());
        return web;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public boolean https() {
        return config.tls().isPresent();
    }

    /** The base URL, e.g. {@code https://127.0.0.1:7421}. */
    public String baseUrl() {
        InetSocketAddress a = address();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return (https() ? "https" : "http") + "://" + host + ":" + a.getPort();
    }

    private void exchange(HttpExchange ex) {
        String path = "?";
        try (ex) {
            URI uri = ex.getRequestURI();
            path = uri.getRawPath();
            Response response = respond(ex, uri);
            send(ex, response);
        } catch (IOException e) {
            log.debug("HTTP client went away during {}: {}", path, e.toString());
        } catch (RuntimeException e) {
            log.warn("HTTP route {} failed: {}", path, e.toString(), e);
        }
    }

    private Response respond(HttpExchange ex, URI uri) throws IOException {
        try {
            Routes.Match match = routes.match(ex.getRequestMethod().toUpperCase(Locale.ROOT), uri.getRawPath());
            Request request = new Request(ex.getRequestMethod().toUpperCase(Locale.ROOT), uri.getRawPath(), match.params(),
                    query(uri.getRawQuery()), headers(ex), body(ex), ex.getRemoteAddress());
            return match.route().handle(request);
        } catch (HttpProblem p) {
            return problem(p.status(), p.getMessage());
        } catch (RuntimeException e) {
            log.warn("HTTP route {} {} failed: {}", ex.getRequestMethod(), uri.getRawPath(), e.toString(), e);
            return problem(500, "internal error; the server's log has the details");
        }
    }

    private Response problem(int status, String message) {
        return Response.json(status, json.write(Map.of("error", message == null ? "" : message)));
    }

    private void send(HttpExchange ex, Response response) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", response.contentType());
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cache-Control", "no-store");
        response.headers().forEach(h::set);
        boolean head = "HEAD".equalsIgnoreCase(ex.getRequestMethod());
        if (!response.streamed()) {
            byte[] body = response.body();
            ex.sendResponseHeaders(response.status(), head || body.length == 0 ? -1 : body.length);
            if (!head && body.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
            return;
        }
        if (!streams.tryAcquire()) {
            byte[] body = json.write(Map.of("error", "too many open streams; try again later"));
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(503, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
            return;
        }
        try {
            ex.sendResponseHeaders(response.status(), head ? -1 : 0);
        } catch (IOException e) {
            streams.release();
            throw e;
        }
        try (OutputStream out = ex.getResponseBody()) {
            if (!head) {
                response.stream().write(out);
            }
        } finally {
            streams.release();
        }
    }

    private byte[] body(HttpExchange ex) throws IOException, HttpProblem {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw HttpProblem.badRequest("Content-Length is not a number");
            }
            if (length > config.maxBodyBytes()) {
                throw new HttpProblem(413, "the body has " + length + " bytes, more than the limit of " + config.maxBodyBytes());
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(config.maxBodyBytes() + 1);
            if (body.length > config.maxBodyBytes()) {
                throw new HttpProblem(413, "the body is more than the limit of " + config.maxBodyBytes() + " bytes");
            }
            return body;
        }
    }

    private static Map<String, List<String>> headers(HttpExchange ex) {
        Map<String, List<String>> out = new HashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        return out;
    }

    static Map<String, List<String>> query(String raw) throws HttpProblem {
        Map<String, List<String>> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        String[] pairs = raw.split("&");
        if (pairs.length > QUERY_PARAMS) {
            throw HttpProblem.badRequest("more than " + QUERY_PARAMS + " query parameters");
        }
        try {
            for (String pair : pairs) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("the query string is badly percent-encoded");
        }
        return out;
    }

    /** Stops accepting and closes open exchanges (streams never finish by themselves), then the threads. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
