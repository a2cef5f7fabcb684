package io.drover.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a route answers: a status, a content type and either a body held whole or a {@link BodyWriter}
 * that streams (server-sent events, large listings). Extra headers are added with {@link #withHeader}.
 */
public record Response(int status, String contentType, byte[] body, BodyWriter stream, Map<String, String> headers) {

    /** Writes a streamed body; the server closes the stream after it returns or throws. */
    @FunctionalInterface
    public interface BodyWriter {
        void write(OutputStream out) throws IOException;
    }

    public Response {
        headers = Map.copyOf(headers);
        if ((body == null) == (stream == null)) {
            throw new IllegalArgumentException("a response has either a body or a stream");
        }
    }

    public static Response bytes(int status, String contentType, byte[] body) {
        return new Response(status, contentType, body, null, Map.of());
    }

    public static Response text(int status, String text) {
        return bytes(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    public static Response json(int status, byte[] json) {
        return bytes(status, "application/json", json);
    }

    public static Response stream(String contentType, BodyWriter writer) {
        return new Response(200, contentType, null, writer, Map.of());
    }

    /** A 307 redirect, which keeps the method and body (a standby sends callers to the leader). */
    public static Response redirect(String location) {
        return new Response(307, "text/plain; charset=utf-8", new byte[0], null, Map.of("Location", location));
    }

    public Response withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Response(status, contentType, body, stream, more);
    }

    public boolean streamed() {
        return stream != null;
    }
}
