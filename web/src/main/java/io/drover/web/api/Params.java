package io.drover.web.api;

import io.drover.http.HttpProblem;
import io.drover.http.Request;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Query parameters, validated: a bad value is a 400 naming the parameter and what it takes. */
final class Params {
    private static final int MAX_TEXT = 200;

    private Params() {
    }

    static int intParam(Request r, String name, int dflt, int min, int max) throws HttpProblem {
        Optional<String> v = r.queryParam(name);
        if (v.isEmpty() || v.get().isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.get().trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below, with the range
        }
        throw HttpProblem.badRequest("query parameter " + name + " takes a whole number " + min + ".." + max);
    }

    static long longParam(Request r, String name, long dflt, long min, long max) throws HttpProblem {
        Optional<String> v = r.queryParam(name);
        if (v.isEmpty() || v.get().isEmpty()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.get().trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below, with the range
        }
        throw HttpProblem.badRequest("query parameter " + name + " takes a whole number " + min + ".." + max);
    }

    /** Free text (a name to search for), at most {@value #MAX_TEXT} characters; empty when not given. */
    static Optional<String> text(Request r, String name) throws HttpProblem {
        Optional<String> v = r.queryParam(name).filter(s -> !s.isEmpty());
        if (v.isPresent() && v.get().length() > MAX_TEXT) {
            throw HttpProblem.badRequest("query parameter " + name + " is longer than " + MAX_TEXT + " characters");
        }
        return v;
    }

    /** One of {@code allowed} (case-insensitive), upper-cased; empty when not given. */
    static Optional<String> oneOf(Request r, String name, Set<String> allowed) throws HttpProblem {
        Optional<String> v = r.queryParam(name).filter(s -> !s.isEmpty());
        if (v.isEmpty()) {
            return v;
        }
        String up = v.get().trim().toUpperCase(Locale.ROOT);
        if (!allowed.contains(up)) {
            throw HttpProblem.badRequest("query parameter " + name + " takes one of "
                    + String.join(", ", new java.util.TreeSet<>(allowed)));
        }
        return Optional.of(up);
    }

    /** A task index in a path: a whole number >= 0. */
    static int taskIndex(String text) throws HttpProblem {
        try {
            int n = Integer.parseInt(text);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw HttpProblem.badRequest("a task is its index, a whole number >= 0; got '" + clip(text) + "'");
    }

    static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
