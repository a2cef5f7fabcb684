package io.drover.coordinator.rpc;

import io.drover.protocol.thrift.InvalidRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.thrift.async.AsyncMethodCallback;

/**
 * Collects what is wrong with one request's fields, each problem naming the field and its bound.
 * Thrift's Java code reads a struct with fields missing (it enforces {@code required} only on
 * explicitly required fields), so every field the IDL does not mark optional is checked for null.
 */
final class FieldChecks {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final String call;
    private final List<String> problems = new ArrayList<>();

    FieldChecks(String call) {
        this.call = call;
    }

    /** A struct or enum the IDL does not mark optional. */
    boolean present(String field, Object value) {
        if (value == null) {
            problems.add(field + " is required");
            return false;
        }
        return true;
    }

    /** A required string of 1..maxChars characters. */
    FieldChecks text(String field, String value, int maxChars) {
        if (present(field, value)) {
            if (value.isBlank()) {
                problems.add(field + " must not be blank");
            } else {
                length(field, value, maxChars);
            }
        }
        return this;
    }

    /** A string the IDL marks optional (or that may be empty): null is fine, too long is not. */
    FieldChecks optionalText(String field, String value, int maxChars) {
        if (value != null) {
            length(field, value, maxChars);
        }
        return this;
    }

    FieldChecks sha256(String field, String value) {
        if (present(field, value) && !SHA256.matcher(value).matches()) {
            problems.add(field + " must be 64 lowercase hex characters");
        }
        return this;
    }

    FieldChecks range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            problems.add(field + " must be " + min + ".." + max + ", was " + value);
        }
        return this;
    }

    /** A list of strings: at most maxElements, none null, each at most maxChars. */
    FieldChecks strings(String field, List<String> values, int maxElements, int maxChars) {
        if (values.size() > maxElements) {
            problems.add(field + " has " + values.size() + " elements, more than " + maxElements);
            return this;
        }
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            if (v == null) {
                problems.add(field + "[" + i + "] is null");
            } else {
                length(field + "[" + i + "]", v, maxChars);
            }
        }
        return this;
    }

    /** A list the IDL does not mark optional: present, at most maxElements, no null elements. */
    <T> boolean list(String field, List<T> values, int maxElements) {
        if (!present(field, values)) {
            return false;
        }
        if (values.size() > maxElements) {
            problems.add(field + " has " + values.size() + " elements, more than " + maxElements);
            return false;
        }
        if (values.contains(null)) {
            problems.add(field + " has a null element");
            return false;
        }
        return true;
    }

    /** Labels: at most maxEntries, keys 1..keyChars, values 0..valueChars, none null. */
    FieldChecks labels(String field, Map<String, String> labels, int maxEntries, int keyChars, int valueChars) {
        if (!present(field, labels)) {
            return this;
        }
        if (labels.size() > maxEntries) {
            problems.add(field + " has " + labels.size() + " entries, more than " + maxEntries);
            return this;
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String key = e.getKey();
            if (key == null || key.isEmpty() || key.length() > keyChars) {
                problems.add(field + " keys must be 1.." + keyChars + " characters, one has "
                        + (key == null ? "none" : key.length()));
            } else if (e.getValue() == null) {
                problems.add(field + " value of '" + key + "' is null");
            } else if (e.getValue().length() > valueChars) {
                problems.add(field + " value of '" + shorten(key) + "' has " + e.getValue().length()
                        + " characters, more than " + valueChars);
            }
        }
        return this;
    }

    void problem(String text) {
        problems.add(text);
    }

    boolean ok() {
        return problems.isEmpty();
    }

    /** Answers {@code done} with InvalidRequest naming every problem; true when there were any. */
    boolean refused(AsyncMethodCallback<?> done) {
        if (problems.isEmpty()) {
            return false;
        }
        done.onError(new InvalidRequest("invalid " + call + ": " + String.join("; ", problems)));
        return true;
    }

    private void length(String field, String value, int maxChars) {
        if (value.length() > maxChars) {
            problems.add(field + " has " + value.length() + " characters, more than " + maxChars);
        }
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
