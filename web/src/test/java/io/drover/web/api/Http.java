package io.drover.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** A test's HTTP caller: java.net.http over HTTPS trusting the cluster CA, with an optional bearer token. */
final class Http {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A status, the raw body and the body as JSON (null when it is not JSON). */
    record Answer(int status, String body, JsonNode json) {
        String error() {
            return json == null || json.get("error") == null ? null : json.get("error").asText();
        }
    }

    private final HttpClient client;
    private final String base;
    private final String token;

    Http(SSLContext tls, String base, String token) {
        this.client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
        this.base = base;
        this.token = token;
    }

    Http as(String otherToken) {
        return new Http(client, base, otherToken);
    }

    Http at(String otherBase) {
        return new Http(client, otherBase, token);
    }

    private Http(HttpClient client, String base, String token) {
        this.client = client;
        this.base = base;
        this.token = token;
    }

    Answer get(String path) {
        return send(builder(path).GET().build());
    }

    Answer post(String path, String json) {
        return send(builder(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    Answer post(String path) {
        return send(builder(path).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    HttpRequest.Builder builder(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    HttpClient client() {
        return client;
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            JsonNode json = null;
            if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
                json = JSON.readTree(r.body());
            }
            return new Answer(r.statusCode(), r.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
