package io.drover.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The route table: method plus a path pattern whose segments are literals, {@code {name}} (one
 * segment, captured) or a final {@code *} (the rest of the path, captured as {@code *}). The first
 * route added that matches wins, so add specific routes before catch-alls.
 */
public final class Routes {
    /** Longest path segment we decode; ids and names are far shorter, so longer is hostile. */
    public static final int MAX_SEGMENT_CHARS = 512;

    private record Entry(String method, String[] pattern, Route route) {
    }

    /** A match: the route and its decoded path parameters. */
    public record Match(Route route, Map<String, String> params) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public Routes get(String pattern, Route route) {
        return add("GET", pattern, route);
    }

    public Routes post(String pattern, Route route) {
        return add("POST", pattern, route);
    }

    public Routes delete(String pattern, Route route) {
        return add("DELETE", pattern, route);
    }

    public synchronized Routes add(String method, String pattern, Route route) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("pattern must start with /: " + pattern);
        }
        entries.add(new Entry(method, segments(pattern), route));
        return this;
    }

    /**
     * The route for a request, or a problem: 404 when no pattern matches the path, 405 when one
     * matches with another method, 400 for a segment that is too long or badly encoded.
     */
    public synchronized Match match(String method, String rawPath) throws HttpProblem {
        String[] path = segments(rawPath);
        Set<String> allowed = new TreeSet<>();
        for (Entry e : entries) {
            Optional<Map<String, String>> params = matches(e.pattern, path);
            if (params.isPresent()) {
                if (e.method.equals(method) || ("HEAD".equals(method) && "GET".equals(e.method))) {
                    return new Match(e.route, params.get());
                }
                allowed.add(e.method);
            }
        }
        if (!allowed.isEmpty()) {
            throw new HttpProblem(405, method + " is not allowed here; use " + String.join(" or ", allowed));
        }
        throw HttpProblem.notFound("no such resource");
    }

    private static Optional<Map<String, String>> matches(String[] pattern, String[] path) throws HttpProblem {
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.equals("*") && i == pattern.length - 1) {
                StringBuilder rest = new StringBuilder();
                for (int j = i; j < path.length; j++) {
                    rest.append(j > i ? "/" : "").append(decode(path[j]));
                }
                params.put("*", rest.toString());
                return Optional.of(params);
            }
            if (i >= path.length) {
                return Optional.empty();
            }
            if (p.startsWith("{") && p.endsWith("}")) {
                params.put(p.substring(1, p.length() - 1), decode(path[i]));
            } else if (!p.equals(path[i])) {
                return Optional.empty();
            }
        }
        return pattern.length == path.length ? Optional.of(params) : Optional.empty();
    }

    private static String decode(String segment) throws HttpProblem {
        if (segment.length() > MAX_SEGMENT_CHARS) {
            throw HttpProblem.badRequest("a path segment is longer than " + MAX_SEGMENT_CHARS + " characters");
        }
        try {
            // URLDecoder treats '+' as a space (form encoding); in a path it is a plus.
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("a path segment is badly percent-encoded");
        }
    }

    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }
}
