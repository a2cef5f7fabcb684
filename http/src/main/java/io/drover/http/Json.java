package io.drover.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON in and out, configured once: records and plain values only (no polymorphic typing, which is
 * how JSON libraries get exploited), unknown request fields refused so a typo is an error and not a
 * silently ignored option, and nesting and string sizes bounded.
 */
public final class Json {
    private final ObjectMapper mapper;

    public Json() {
        JsonMapper.Builder builder = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        ObjectMapper m = builder.build();
        m.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32).maxStringLength(1 << 20).maxNumberLength(40).build());
        this.mapper = m;
    }

    public byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public String writeString(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Reads a request body; anything malformed or unexpected is the caller's 400, with the reason. */
    public <T> T read(byte[] body, Class<T> type) throws HttpProblem {
        if (body.length == 0) {
            throw HttpProblem.badRequest("the request needs a JSON body");
        }
        try {
            return mapper.readValue(body, type);
        } catch (UnrecognizedPropertyException e) {
            throw HttpProblem.badRequest("malformed JSON body: unknown field \"" + clip(e.getPropertyName())
                    + "\"; known fields: " + e.getKnownPropertyIds());
        } catch (MismatchedInputException e) {
            throw HttpProblem.badRequest("malformed JSON body: field \"" + path(e) + "\" is missing or has the wrong type");
        } catch (JsonParseException e) {
            throw HttpProblem.badRequest("malformed JSON body: not JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw HttpProblem.badRequest("malformed JSON body: " + clip(firstLine(e.getMessage())));
        }
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    private static String path(MismatchedInputException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            b.append(b.length() > 0 ? "." : "").append(r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]");
        }
        return b.length() == 0 ? "(body)" : clip(b.toString());
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
