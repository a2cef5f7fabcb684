package io.drover.http;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request as a route sees it. The body was read whole and is within the server's bound; header
 * names are lower case; path parameters are decoded and bounded but otherwise unchecked: routes validate.
 */
public record Request(String method, String path, Map<String, String> pathParams, Map<String, List<String>> query,
        Map<String, List<String>> headers, byte[] body, InetSocketAddress remote) {

    public Request {
        pathParams = Map.copyOf(pathParams);
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    /** A path parameter the route pattern declares (for example {@code {id}}). */
    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalArgumentException("route has no path parameter " + name);
        }
        return value;
    }

    public Optional<String> queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The token of an {@code Authorization: Bearer ...} header, if there is one. */
    public Optional<String> bearerToken() {
        return header("authorization")
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim())
                .filter(t -> !t.isEmpty());
    }

    /** The caller's address, for logs and audit records. */
    public String remoteText() {
        return remote == null ? "unknown" : remote.getAddress().getHostAddress() + ":" + remote.getPort();
    }
}
