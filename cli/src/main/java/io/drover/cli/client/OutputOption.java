package io.drover.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.drover.http.Json;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine.Option;

/**
 * {@code --output text|json} of the read commands. JSON is what the HTTP API answers for the same question (the
 * records of {@code io.drover.web.api.dto}, written by the API's mapper), indented, one document on stdout, so
 * {@code drover jobs --output json | jq} and {@code curl .../api/v1/jobs | jq} take the same filters. JSON
 * escapes every string, so no terminal escaping applies to it.
 */
public final class OutputOption {
    /** The formats. */
    public enum Format { TEXT, JSON }

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text", converter = FormatConverter.class,
            description = "text (default) or json: the JSON the HTTP API answers (see README, HTTP API).")
    Format format = Format.TEXT;

    /** text or json, in any case (also where the root command does not allow any case for every enum). */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "text" -> Format.TEXT;
                case "json" -> Format.JSON;
                default -> throw new picocli.CommandLine.TypeConversionException("'" + value
                        + "' is not an output format; use text or json");
            };
        }
    }

    boolean json() {
        return format == Format.JSON;
    }

    /** Writes {@code value} as indented JSON and a line break. */
    static void print(PrintWriter out, Object value) {
        try {
            out.println(new Json().mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
