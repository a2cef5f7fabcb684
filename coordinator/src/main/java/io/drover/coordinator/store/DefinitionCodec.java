package io.drover.coordinator.store;

import io.drover.coordinator.core.Dependency;
import io.drover.coordinator.core.JobDefinition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job definition's binary form inside facts and schedules ({@link FactCodec} versions): the fixed
 * fields of versions 1 to 3, then tagged extensions from version 4 on (a reader skips tags it does
 * not know, so an optional setting needs no version bump).
 */
final class DefinitionCodec {
    private static final String EXT_ENVIRONMENT = "environment";
    private static final String EXT_WORKING_DIRECTORY = "workingDirectory";
    private static final String EXT_SECRET_ENVIRONMENT = "secretEnvironment";
    private static final String EXT_DEPENDENCIES = "dependencies";
    private static final String EXT_BACKUPS = "backups";

    private DefinitionCodec() {
    }

    static void writeDefinition(DataOutputStream out, JobDefinition d) throws IOException {
        out.writeUTF(d.jobId());
        FactCodec.writeString(out, d.name());
        FactCodec.writeString(out, d.owner());
        FactCodec.writeString(out, d.idempotencyKey());
        out.writeUTF(d.kind());
        FactCodec.writeString(out, d.artifactSha256());
        out.writeLong(d.artifactSize());
        FactCodec.writeString(out, d.entryClass());
        FactCodec.writeList(out, d.command());
        out.writeInt(d.shardCount());
        FactCodec.writeList(out, d.shardParameters());
        FactCodec.writeList(out, d.arguments());
        out.writeInt(d.slotsPerTask());
        out.writeInt(d.maxAttempts());
        out.writeLong(d.taskTimeoutMs());
        out.writeBoolean(d.reduce());
        out.writeInt(d.priority());
        out.writeInt(d.requiredLabels().size());
        for (Map.Entry<String, String> e : d.requiredLabels().entrySet()) {
            FactCodec.writeString(out, e.getKey());
            FactCodec.writeString(out, e.getValue());
        }
        out.writeLong(d.memoryMb());
        out.writeLong(d.submittedAtMs());
        out.writeLong(d.lostAfterMs()); // version 2
        out.writeUTF(d.isolation()); // version 3
        writeExtensions(out, d); // version 4
    }

    private static void writeExtensions(DataOutputStream out, JobDefinition d) throws IOException {
        Map<String, byte[]> ext = new LinkedHashMap<>();
        if (!d.environment().isEmpty()) {
            ext.put(EXT_ENVIRONMENT, payload(o -> writeMap(o, d.environment())));
        }
        if (d.workingDirectory() != null) {
            ext.put(EXT_WORKING_DIRECTORY, payload(o -> FactCodec.writeString(o, d.workingDirectory())));
        }
        if (!d.secretEnvironment().isEmpty()) {
            ext.put(EXT_SECRET_ENVIRONMENT, payload(o -> writeMap(o, d.secretEnvironment())));
        }
        if (!d.constraints().isEmpty()) {
            ext.put(PlacementCodec.EXT_CONSTRAINTS, payload(o -> PlacementCodec.writeConstraints(o, d.constraints())));
        }
        if (d.spreadLabel() != null) {
            ext.put(PlacementCodec.EXT_SPREAD_LABEL, payload(o -> FactCodec.writeString(o, d.spreadLabel())));
        }
        if (!d.dependencies().isEmpty()) {
            ext.put(EXT_DEPENDENCIES, payload(o -> writeDependencies(o, d)));
        }
        if (d.backups() != JobDefinition.defaultBackups(d.kind())) { // absent: the kind's default
            ext.put(EXT_BACKUPS, payload(o -> o.writeBoolean(d.backups())));
        }
        out.writeInt(ext.size());
        for (Map.Entry<String, byte[]> e : ext.entrySet()) {
            out.writeUTF(e.getKey());
            FactCodec.writeBytes(out, e.getValue());
        }
    }

    /** Extension payloads by tag; none before version 4. */
    private static Map<String, DataInputStream> readExtensions(DataInputStream in, int version) throws IOException {
        if (version < FactCodec.FIRST_VERSION_WITH_EXTENSIONS) {
            return Map.of();
        }
        int n = in.readInt();
        Map<String, DataInputStream> ext = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String tag = in.readUTF();
            byte[] payload = FactCodec.readBytes(in);
            ext.put(tag, new DataInputStream(new ByteArrayInputStream(payload == null ? new byte[0] : payload)));
        }
        return ext;
    }

    @FunctionalInterface
    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] payload(Writer writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        }
        return bytes.toByteArray();
    }

    private static void writeDependencies(DataOutputStream out, JobDefinition d) throws IOException {
        out.writeInt(d.dependencies().size());
        for (Dependency dep : d.dependencies()) {
            FactCodec.writeString(out, dep.jobId());
            out.writeUTF(dep.condition().name());
        }
        out.writeUTF(d.onUpstreamFailure().name());
    }

    private static JobDefinition readDependencies(DataInputStream in, JobDefinition d) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > Dependency.MAX_PER_JOB) {
            throw new StoreException("job " + d.jobId() + " has " + n + " dependencies in the store");
        }
        List<Dependency> deps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            deps.add(new Dependency(FactCodec.readString(in), Dependency.Condition.valueOf(in.readUTF())));
        }
        return d.withDependencies(deps, Dependency.UpstreamFailure.valueOf(in.readUTF()));
    }

    private static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            FactCodec.writeString(out, e.getKey());
            FactCodec.writeString(out, e.getValue());
        }
    }

    private static Map<String, String> readMap(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            map.put(FactCodec.readString(in), FactCodec.readString(in));
        }
        return map;
    }

    static JobDefinition readDefinition(DataInputStream in, int version) throws IOException {
        String jobId = in.readUTF();
        String name = FactCodec.readString(in);
        String owner = FactCodec.readString(in);
        String key = FactCodec.readString(in);
        String kind = in.readUTF();
        String sha = FactCodec.readString(in);
        long size = in.readLong();
        String entry = FactCodec.readString(in);
        List<String> command = FactCodec.readList(in);
        int shards = in.readInt();
        List<String> params = FactCodec.readList(in);
        List<String> args = FactCodec.readList(in);
        int slots = in.readInt();
        int maxAttempts = in.readInt();
        long timeout = in.readLong();
        boolean reduce = in.readBoolean();
        int priority = in.readInt();
        int labelCount = in.readInt();
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < labelCount; i++) {
            labels.put(FactCodec.readString(in), FactCodec.readString(in));
        }
        long memoryMb = in.readLong();
        long submittedAt = in.readLong();
        long lostAfterMs = version >= 2 ? in.readLong() : 0;
        String isolation = version >= 3 ? in.readUTF() : JobDefinition.WORKER;
        Map<String, DataInputStream> ext = readExtensions(in, version);
        Map<String, String> environment = ext.containsKey(EXT_ENVIRONMENT) ? readMap(ext.get(EXT_ENVIRONMENT)) : Map.of();
        String workingDirectory = ext.containsKey(EXT_WORKING_DIRECTORY) ? FactCodec.readString(ext.get(EXT_WORKING_DIRECTORY)) : null;
        Map<String, String> secrets = ext.containsKey(EXT_SECRET_ENVIRONMENT) ? readMap(ext.get(EXT_SECRET_ENVIRONMENT)) : Map.of();
        List<io.drover.coordinator.core.Constraint> constraints = ext.containsKey(PlacementCodec.EXT_CONSTRAINTS)
                ? PlacementCodec.readConstraints(ext.get(PlacementCodec.EXT_CONSTRAINTS)) : List.of();
        String spreadLabel = ext.containsKey(PlacementCodec.EXT_SPREAD_LABEL)
                ? FactCodec.readString(ext.get(PlacementCodec.EXT_SPREAD_LABEL)) : null;
        JobDefinition def = new JobDefinition(jobId, name, owner, key, kind, sha, size, entry, command, shards, params, args,
                slots, maxAttempts, timeout, reduce, priority, labels, memoryMb, submittedAt, lostAfterMs, isolation,
                environment, workingDirectory, secrets, constraints, spreadLabel);
        if (ext.containsKey(EXT_BACKUPS)) {
            def = def.withBackups(ext.get(EXT_BACKUPS).readBoolean());
        }
        return ext.containsKey(EXT_DEPENDENCIES) ? readDependencies(ext.get(EXT_DEPENDENCIES), def) : def;
    }
}
