package io.drover.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.drover.http.Json;
import io.drover.http.Routes;
import io.drover.web.ClusterInfo;
import io.drover.web.Identity;
import io.drover.web.WebContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The hand-written OpenAPI document against the routes the gateway installs: every route documented and every
 * documented operation installed, every {@code $ref} resolving, every operation answering errors with the
 * shared Error response. (Parsed with Jackson's YAML reader: a structural check, not a full OpenAPI validator.)
 */
class OpenApiDocumentTest {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

    private final JsonNode doc = read();

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(OpenApiRoute.load());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> installed() {
        WebContext ctx = new WebContext("127.0.0.1:1", Optional.empty(),
                token -> new Identity("insecure", "admin", Set.of(), true),
                () -> new ClusterInfo("c", true, 1, Optional.empty(), Optional.empty(), "CONNECTED", List.of()),
                Clock.systemUTC());
        try (ApiGateway api = new ApiGateway(ctx, new Json())) {
            Routes routes = new Routes();
            List<String> all = new ArrayList<>(api.install(routes));
            all.addAll(new TaskStreamRoute(api).install(routes));
            return all;
        }
    }

    @Test
    void everyInstalledRouteIsDocumentedAndViceVersa() {
        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (METHODS.contains(method)) {
                    documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            });
        }
        assertThat(documented).isEqualTo(new TreeSet<>(installed()));
    }

    @Test
    void everyReferenceResolvesAndPathParametersAreDeclared() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            Set<String> declared = new TreeSet<>();
            op.getValue().path("parameters").forEach(p -> {
                JsonNode param = p.has("$ref") ? doc.at(p.get("$ref").asText().substring(1)) : p;
                if (param.path("in").asText().equals("path")) {
                    declared.add(param.get("name").asText());
                }
            });
            Set<String> inPath = new TreeSet<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(path.getKey());
            while (m.find()) {
                inPath.add(m.group(1));
            }
            assertThat(declared).as(op.getKey() + " " + path.getKey()).isEqualTo(inPath);
        }));
    }

    @Test
    void theDocumentIsOpenApi3WithBearerAuth() {
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        assertThat(doc.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        assertThat(doc.at("/paths/~1api~1v1~1jobs/post/requestBody/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/Submit");
    }

    /** The Submit schema lists exactly the fields the API reads (unknown ones are refused). */
    @Test
    void theSubmitSchemaMatchesTheRecord() {
        Set<String> documented = new TreeSet<>();
        doc.at("/components/schemas/Submit/properties").fieldNames().forEachRemaining(documented::add);
        Set<String> fields = new TreeSet<>();
        for (var c : io.drover.web.api.dto.SubmitJson.class.getRecordComponents()) {
            fields.add(c.getName());
        }
        assertThat(documented).isEqualTo(fields);
    }

    private static void collectRefs(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref")) {
                    out.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, out));
        }
    }
}
