package io.drover.http;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code GET /metrics} in Prometheus' text format, written by Prometheus' own library from the
 * process's registry (one registry per coordinator or agent, passed in: never the library's global
 * default, so two servers in one JVM, as in tests, do not mix their figures).
 */
public final class MetricsRoute implements Route {
    private final PrometheusRegistry registry;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public MetricsRoute(PrometheusRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Response handle(Request request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics", e);
        }
        return Response.bytes(200, writer.getContentType(), out.toByteArray());
    }
}
