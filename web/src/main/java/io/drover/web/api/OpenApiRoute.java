package io.drover.web.api;

import io.drover.http.HttpProblem;
import io.drover.http.Request;
import io.drover.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /api/v1/openapi.yaml}: the API's OpenAPI 3 document, hand-written beside this class. Open to all. */
final class OpenApiRoute {
    static final String RESOURCE = "/io/drover/web/api/openapi.yaml";
    private final byte[] document;

    OpenApiRoute() {
        this.document = load();
    }

    static byte[] load() {
        try (InputStream in = OpenApiRoute.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    Response handle(Request request) throws HttpProblem {
        return Response.bytes(200, "application/yaml; charset=utf-8", document);
    }
}
