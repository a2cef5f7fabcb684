package io.drover.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebServerTest {
    private final Json json = new Json();
    private final Routes routes = new Routes();
    private final HttpClient client = HttpClient.newHttpClient();
    private WebServer server;

    record Echo(String name, int count) {
    }

    @BeforeEach
    void start() throws Exception {
        routes.get("/api/things/{id}", r -> Response.json(200, json.write(Map.of("id", r.pathParam("id"),
                "token", r.bearerToken().orElse("-"), "q", r.queryParam("q").orElse("-")))));
        routes.post("/api/echo", r -> Response.json(200, json.write(json.read(r.body(), Echo.class))));
        routes.get("/stream", r -> Response.stream("text/event-stream", out -> {
            for (int i = 0; i < 3; i++) {
                out.write(("data: " + i + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }));
        routes.get("/boom", r -> {
            throw new IllegalStateException("secret detail");
        });
        server = WebServer.start("test", new WebServerConfig(new InetSocketAddress("127.0.0.1", 0), Optional.empty(),
                4, 8, 64, 1), routes, json);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
    }

    @Test
    void routesDecodePathQueryAndBearerToken() throws Exception {
        HttpResponse<String> r = send(at("/api/things/a%20b?q=x%26y").header("Authorization", "Bearer drv1.t"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"id\":\"a b\"", "\"token\":\"drv1.t\"", "\"q\":\"x&y\"");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }

    @Test
    void unknownPathsMethodsAndFieldsAreClearErrors() throws Exception {
        assertThat(send(at("/nope")).statusCode()).isEqualTo(404);
        HttpResponse<String> wrongMethod = send(at("/api/echo"));
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.body()).contains("use POST");
        HttpResponse<String> typo = send(at("/api/echo").POST(HttpRequest.BodyPublishers.ofString("{\"nam\":\"x\",\"count\":2}")));
        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(typo.body()).contains("unknown field \\\"nam\\\"");
        HttpResponse<String> missing = send(at("/api/echo").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")));
        assertThat(missing.body()).contains("field \\\"count\\\" is missing");
        HttpResponse<String> ok = send(at("/api/echo").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\",\"count\":2}")));
        assertThat(ok.body()).isEqualTo("{\"name\":\"x\",\"count\":2}");
    }

    @Test
    void oversizedBodiesAreRefusedAndFailuresHideTheirDetail() throws Exception {
        HttpResponse<String> big = send(at("/api/echo").POST(HttpRequest.BodyPublishers.ofString("x".repeat(100))));
        assertThat(big.statusCode()).isEqualTo(413);
        HttpResponse<String> boom = send(at("/boom"));
        assertThat(boom.statusCode()).isEqualTo(500);
        assertThat(boom.body()).doesNotContain("secret detail");
    }

    @Test
    void streamsArriveWhole() throws Exception {
        HttpResponse<String> r = send(at("/stream"));
        assertThat(r.headers().firstValue("Content-Type")).contains("text/event-stream");
        assertThat(r.body()).isEqualTo("data: 0\n\ndata: 1\n\ndata: 2\n\n");
    }
}
