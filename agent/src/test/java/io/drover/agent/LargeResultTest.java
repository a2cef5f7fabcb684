package io.drover.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.testing.AgentHarness;
import io.drover.agent.testing.TestJars;
import io.drover.agent.testjobs.SizedResultJob;
import io.drover.protocol.Sha256;
import io.drover.protocol.thrift.JvmIsolation;
import io.drover.protocol.thrift.Outcome;
import io.drover.protocol.thrift.ResultBlobRef;
import io.drover.protocol.thrift.TaskResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results over the inline limit, through a real worker JVM, the agent's own JVM (in-agent isolation) and
 * real processes ({@code DROVER_RESULT_FILE}), over real Thrift: stored on the (fake) coordinator as blobs
 * and reported by hash, fetched back as reduce inputs; over the cap, rejected at once.
 */
class LargeResultTest {
    private static final String AGENT = AgentHarness.AGENT_ID;

    @TempDir
    Path workDir;

    @Test
    void aLargeShardResultIsStoredAsABlobAndAReduceReadsBlobInputs() throws Exception {
        try (AgentHarness h = AgentHarness.start(workDir, 2)) {
            String jar = h.coordinator.putArtifact(TestJars.ofPackage(SizedResultJob.class));
            h.coordinator.addJvmJob("big", jar, SizedResultJob.class.getName(), 2, 0, List.of("300000"));

            TaskResult shard = h.awaitResult(h.coordinator.assign(AGENT, "big", 1, null));

            assertThat(shard.getOutcome()).as(shard.getError()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(shard.isSetValue()).isFalse();
            byte[] expected = SizedResultJob.bytes(1, 300_000);
            assertThat(shard.getResultBlob()).isEqualTo(new ResultBlobRef(Sha256.hex(expected), expected.length));
            assertThat(h.coordinator.resultBlob(Sha256.hex(expected))).hasValue(expected);

            byte[] small = SizedResultJob.bytes(0, 1000);
            long reduce = h.coordinator.assignReduce(AGENT, "big", 2, List.of(small, new byte[0]),
                    Map.of(1, shard.getResultBlob()));
            TaskResult reduced = h.awaitResult(reduce);

            assertThat(reduced.getOutcome()).as(reduced.getError()).isEqualTo(Outcome.SUCCEEDED);
            byte[] both = concat(small, expected);
            assertThat(reduced.getResultBlob().getSha256()).isEqualTo(Sha256.hex(both));
            assertThat(h.coordinator.resultBlob(Sha256.hex(both))).hasValue(both);
            try (Stream<Path> left = Files.walk(workDir)) {
                assertThat(left.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".result") || n.contains(".input-")).toList())
                        .as("result and input files are removed after the attempt").isEmpty();
            }
        }
    }

    @Test
    void aResultOverTheCapIsRejectedAtOnce() throws Exception {
        try (AgentHarness h = AgentHarness.start(workDir, 1, AgentLimits.DEFAULTS.withResultLimits(1024, 200_000))) {
            String jar = h.coordinator.putArtifact(TestJars.ofPackage(SizedResultJob.class));
            h.coordinator.addJvmJob("too-big", jar, SizedResultJob.class.getName(), 1, 0, List.of("300000"));

            TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "too-big", 0, null));

            assertThat(r.getOutcome()).isEqualTo(Outcome.REJECTED);
            assertThat(r.getError()).contains("300000 bytes, over the limit of 200000 bytes");
            assertThat(h.coordinator.uploadCalls()).isZero();
        }
    }

    @Test
    void anInAgentTaskStoresALargeResultAsABlobAndItsReduceReadsBlobInputs() throws Exception {
        try (AgentHarness h = AgentHarness.start(workDir, 2)) {
            String jar = h.coordinator.putArtifact(TestJars.ofPackage(SizedResultJob.class));
            h.coordinator.addJvmJob("big-in-agent", jar, SizedResultJob.class.getName(), 2, 0, List.of("300000"));
            h.coordinator.setIsolation("big-in-agent", JvmIsolation.IN_AGENT);

            TaskResult shard = h.awaitResult(h.coordinator.assign(AGENT, "big-in-agent", 1, null));

            assertThat(shard.getOutcome()).as(shard.getError()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(shard.isSetValue()).isFalse();
            byte[] expected = SizedResultJob.bytes(1, 300_000);
            assertThat(shard.getResultBlob()).isEqualTo(new ResultBlobRef(Sha256.hex(expected), expected.length));
            assertThat(shard.getResultCodec()).isEqualTo("bytes");
            assertThat(h.coordinator.resultBlob(Sha256.hex(expected))).hasValue(expected);

            byte[] small = SizedResultJob.bytes(0, 1000);
            TaskResult reduced = h.awaitResult(h.coordinator.assignReduce(AGENT, "big-in-agent", 2,
                    List.of(small, new byte[0]), Map.of(1, shard.getResultBlob())));

            assertThat(reduced.getOutcome()).as(reduced.getError()).isEqualTo(Outcome.SUCCEEDED);
            byte[] both = concat(small, expected);
            assertThat(h.coordinator.resultBlob(reduced.getResultBlob().getSha256())).hasValue(both);
            assertThat(workDir.resolve("tasks/big-in-agent")).as("in-agent attempts leave no directory behind").doesNotExist();
        }
    }

    @Test
    void anInAgentResultOverTheCapIsRejectedAtOnce() throws Exception {
        try (AgentHarness h = AgentHarness.start(workDir, 1, AgentLimits.DEFAULTS.withResultLimits(1024, 200_000))) {
            String jar = h.coordinator.putArtifact(TestJars.ofPackage(SizedResultJob.class));
            h.coordinator.addJvmJob("too-big-in-agent", jar, SizedResultJob.class.getName(), 1, 0, List.of("300000"));
            h.coordinator.setIsolation("too-big-in-agent", JvmIsolation.IN_AGENT);

            TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "too-big-in-agent", 0, null));

            assertThat(r.getOutcome()).isEqualTo(Outcome.REJECTED);
            assertThat(r.getError()).contains("300000 bytes, over the limit of 200000 bytes");
            assertThat(h.coordinator.uploadCalls()).isZero();
        }
    }

    @Test
    void aProcessResultFileOverTheInlineLimitIsABlobAndAProcessReduceReadsItAsAFile() throws Exception {
        try (AgentHarness h = AgentHarness.start(workDir, 2)) {
            h.coordinator.addProcessJob("file-result", List.of("/bin/sh", "-c",
                    "if [ -n \"$DROVER_REDUCE_INPUTS\" ]; then cat \"$DROVER_REDUCE_INPUTS\"/0 \"$DROVER_REDUCE_INPUTS\"/1 > \"$DROVER_RESULT_FILE\";"
                            + " else echo noise; yes \"shard $DROVER_SHARD_INDEX\" | head -c 307200 > \"$DROVER_RESULT_FILE\"; fi"),
                    2, 0, List.of());

            TaskResult shard = h.awaitResult(h.coordinator.assign(AGENT, "file-result", 1, null));

            assertThat(shard.getOutcome()).as(shard.getError()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(shard.isSetValue()).as("the result file, not stdout").isFalse();
            byte[] expected = repeated("shard 1\n", 307_200);
            assertThat(shard.getResultBlob()).isEqualTo(new ResultBlobRef(Sha256.hex(expected), expected.length));
            assertThat(h.coordinator.resultBlob(Sha256.hex(expected))).hasValue(expected);

            byte[] small = "first ".getBytes(StandardCharsets.UTF_8);
            TaskResult reduced = h.awaitResult(h.coordinator.assignReduce(AGENT, "file-result", 2,
                    List.of(small, new byte[0]), Map.of(1, shard.getResultBlob())));

            assertThat(reduced.getOutcome()).as(reduced.getError()).isEqualTo(Outcome.SUCCEEDED);
            byte[] both = concat(small, expected);
            assertThat(h.coordinator.resultBlob(reduced.getResultBlob().getSha256())).hasValue(both);
            assertNoResultFilesLeft();
            try (Stream<Path> left = Files.walk(workDir)) {
                assertThat(left.filter(p -> p.getFileName().toString().startsWith("reduce-inputs-")).toList())
                        .as("reduce inputs are removed after the attempt").isEmpty();
            }
        }
    }

    @Test
    void aSmallProcessResultFileIsInlineAndOneOverTheCapOrALinkIsRejectedAtOnce() throws Exception {
        try (AgentHarness h = AgentHarness.start(workDir, 1, AgentLimits.DEFAULTS.withResultLimits(1024, 200_000))) {
            h.coordinator.addProcessJob("sized", List.of("/bin/sh", "-c",
                    "echo stdout; yes x | head -c \"$DROVER_SHARD_PARAM\" > \"$DROVER_RESULT_FILE\""), 2, 0, List.of());

            TaskResult small = h.awaitResult(h.coordinator.assign(AGENT, "sized", 0, "1000"));
            TaskResult tooBig = h.awaitResult(h.coordinator.assign(AGENT, "sized", 1, "300000"));
            h.coordinator.addProcessJob("link", List.of("/bin/sh", "-c", "ln -s /etc/passwd \"$DROVER_RESULT_FILE\""),
                    1, 0, List.of());
            TaskResult link = h.awaitResult(h.coordinator.assign(AGENT, "link", 0, null));

            assertThat(small.getOutcome()).as(small.getError()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(small.getValue()).isEqualTo(repeated("x\n", 1000));
            assertThat(tooBig.getOutcome()).isEqualTo(Outcome.REJECTED);
            assertThat(tooBig.getError()).contains("300000 bytes, over the limit of 200000 bytes").contains("--max-result-size");
            assertThat(link.getOutcome()).isEqualTo(Outcome.REJECTED);
            assertThat(link.getError()).contains("is not a regular file");
            assertThat(h.coordinator.uploadCalls()).isZero();
            assertNoResultFilesLeft();
        }
    }

    private void assertNoResultFilesLeft() throws java.io.IOException {
        try (Stream<Path> left = Files.walk(workDir)) {
            assertThat(left.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".result") || n.contains(".input-")).toList())
                    .as("result and input files are removed after the attempt").isEmpty();
        }
    }

    private static byte[] repeated(String line, int size) {
        byte[] unit = line.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = unit[i % unit.length];
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
