package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.drover.cli.options.DurationConverter;
import io.drover.sdk.JobSpec;
import io.drover.sdk.Workflow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A workflow file: YAML or JSON (a JSON document is YAML too, so one parser reads both). Top level
 * {@code jobs}, a map from each job's name to its spec; {@code after} names other jobs of the file
 * (or existing job ids) as {@code NAME[:succeeded|:finished]}. Every unknown key is an error that
 * names it, so a typo does not silently drop a setting. A relative {@code jar} is taken from the
 * file's directory.
 */
final class WorkflowFile {
    /** A workflow file larger than this is refused before parsing: a workflow holds at most 256 small specs. */
    static final long MAX_BYTES = 1 << 20;
    private static final Set<String> KEYS = Set.of("command", "jar", "artifact", "class", "shards", "params", "args",
            "reduce", "maxAttempts", "timeout", "priority", "labels", "env", "workdir", "slotsPerTask", "memoryMb",
            "owner", "after", "onUpstreamFailure", "backups");

    private WorkflowFile() {
    }

    /** The workflow in {@code file}; each job's idempotency key is {@code key/NAME}. */
    static Workflow read(Path file, String key) {
        JsonNode root;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException(file + " is larger than " + MAX_BYTES + " bytes");
            }
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read workflow " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("jobs").isObject()) {
            throw new IllegalArgumentException(file + ": the top level needs 'jobs', a map from job names to specs");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("jobs")) {
                throw new IllegalArgumentException(file + ": unknown top-level key '" + k + "' (only 'jobs')");
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        Workflow.Builder w = Workflow.builder();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("jobs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                w.job(e.getKey(), job(e.getKey(), e.getValue(), dir, key));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(file + ": job '" + e.getKey() + "': " + ex.getMessage(), ex);
            }
        }
        return w.build();
    }

    private static JobSpec job(String name, JsonNode n, Path dir, String key) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("must be a map of settings");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("unknown key '" + k + "' (known: " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
            }
        }
        JobSpec.Builder b;
        if (n.has("command")) {
            JsonNode c = n.get("command");
            b = JobSpec.process(c.isArray() ? strings(c, "command") : CommandSplitter.split(text(c, "command")));
        } else if (n.has("jar") || n.has("artifact")) {
            String cls = text(n.get("class"), "class");
            b = n.has("jar") ? JobSpec.jvm(dir.resolve(text(n.get("jar"), "jar")), cls)
                    : JobSpec.jvmArtifact(text(n.get("artifact"), "artifact"), cls);
        } else {
            throw new IllegalArgumentException("give 'command', 'jar' or 'artifact'");
        }
        b.name(name).idempotencyKey(key + "/" + name);
        if (n.has("shards")) b.shards(n.get("shards").asInt());
        if (n.has("params")) b.shardParameters(strings(n.get("params"), "params"));
        if (n.has("args")) b.arguments(strings(n.get("args"), "args"));
        if (n.has("reduce")) b.reduce(n.get("reduce").asBoolean());
        if (n.has("maxAttempts")) b.maxAttempts(n.get("maxAttempts").asInt());
        if (n.has("timeout")) b.taskTimeout(DurationConverter.parse(text(n.get("timeout"), "timeout")));
        if (n.has("priority")) b.priority(n.get("priority").asInt());
        if (n.has("slotsPerTask")) b.slotsPerTask(n.get("slotsPerTask").asInt());
        if (n.has("memoryMb")) b.memoryMb(n.get("memoryMb").asLong());
        if (n.has("labels")) b.requiredLabels(map(n.get("labels"), "labels"));
        if (n.has("env")) b.environment(map(n.get("env"), "env"));
        if (n.has("workdir")) b.workingDirectory(text(n.get("workdir"), "workdir"));
        if (n.has("owner")) b.owner(text(n.get("owner"), "owner"));
        if (n.has("backups")) b.backups(n.get("backups").isBoolean() ? n.get("backups").asBoolean()
                : JobOptions.onOff(text(n.get("backups"), "backups"), "'backups'"));
        List<String> after = n.has("after") ? (n.get("after").isArray() ? strings(n.get("after"), "after")
                : List.of(text(n.get("after"), "after"))) : List.of();
        Dependencies.apply(b, after, n.has("onUpstreamFailure") ? text(n.get("onUpstreamFailure"), "onUpstreamFailure")
                : null, "after");
        return b.build();
    }

    private static String text(JsonNode n, String field) {
        if (n == null || !n.isValueNode() || n.isNull()) {
            throw new IllegalArgumentException("'" + field + "' must be a text value");
        }
        return n.asText();
    }

    private static List<String> strings(JsonNode n, String field) {
        if (!n.isArray()) {
            throw new IllegalArgumentException("'" + field + "' must be a list");
        }
        List<String> out = new ArrayList<>();
        n.forEach(v -> out.add(text(v, field)));
        return out;
    }

    private static Map<String, String> map(JsonNode n, String field) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("'" + field + "' must be a map");
        }
        Map<String, String> out = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> out.put(e.getKey(), text(e.getValue(), field)));
        return out;
    }
}
