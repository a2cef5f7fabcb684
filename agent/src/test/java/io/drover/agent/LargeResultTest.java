package io.drover.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.testing.AgentHarness;
import io.drover.agent.testing.TestJars;
import io.drover.agent.testjobs.SizedResultJob;
import io.drover.agent.testjobs.UpstreamDigestJob;
import io.drover.protocol.Sha256;
import io.drover.protocol.thrift.DependencyResult;
import io.drover.protocol.thrift.JvmIsolation;
import io.drover.protocol.thrift.Outcome;
import io.drover.protocol.thrift.ResultBlobRef;
import io.drover.protocol.thrift.TaskResult;
import io.drover.sdk.Codecs;
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
 * and reported by hash, fetched back as reduce inputs and as a dependant's upstream results; over the cap,
 * rejected at once.
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

    /**
     * A dependant job's upstream results, one inline, one a blob on the coordinator, one of a job no longer
     * known: read through ShardContext in a worker JVM and in the agent's JVM, and as files by a process task.
     */
    @Test
    void aDependantReadsInlineAndBlobUpstreamResultsInWorkersInTheAgentAndInProcesses() throws Exception {
        try (AgentHarness h = AgentHarness.start(workDir, 2)) {
            byte[] big = SizedResultJob.bytes(7, 300_000);
            String bigSha = h.coordinator.putResultBlob(big);
            byte[] count = Codecs.int64().encode(21L);
            List<DependencyResult> upstream = List.of(
                    new DependencyResult("j1-count").setName("count").setState("SUCCEEDED").setResult(count),
                    new DependencyResult("j2-big").setName("big").setState("SUCCEEDED")
                            .setResultBlob(new ResultBlobRef(bigSha, big.length)),
                    new DependencyResult("j3-gone"));
            String jar = h.coordinator.putArtifact(TestJars.ofPackage(UpstreamDigestJob.class));
            for (String job : List.of("worker", "in-agent")) {
                h.coordinator.addJvmJob(job, jar, UpstreamDigestJob.class.getName(), 1, 0, List.of());
                h.coordinator.setUpstream(job, upstream);
            }
            h.coordinator.setIsolation("in-agent", JvmIsolation.IN_AGENT);
            h.coordinator.addProcessJob("process", List.of("sh", "-c", "cd \"$DROVER_UPSTREAM_RESULTS\"; "
                    + "sha256sum big j2-big | cut -c1-64; wc -c < j3-gone; cat index"), 1, 0, List.of());
            h.coordinator.setUpstream("process", upstream);

            String expected = "count SUCCEEDED 8 " + Sha256.hex(count) + "\nbig SUCCEEDED 300000 " + bigSha
                    + "\nj3-gone UNKNOWN 0 -\ncount=21";
            for (String job : List.of("worker", "in-agent")) {
                TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, job, 0, null));
                assertThat(r.getOutcome()).as(job + ": " + r.getError()).isEqualTo(Outcome.SUCCEEDED);
                assertThat(new String(r.getValue(), StandardCharsets.UTF_8)).as(job).isEqualTo(expected);
            }
            TaskResult p = h.awaitResult(h.coordinator.assign(AGENT, "process", 0, null));
            assertThat(p.getOutcome()).as(p.getError()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(new String(p.getValue(), StandardCharsets.UTF_8).strip()).isEqualTo(String.join("\n", bigSha, bigSha,
                    "0", "j1-count\tcount\tSUCCEEDED", "j2-big\tbig\tSUCCEEDED", "j3-gone\t\tUNKNOWN"));
            try (Stream<Path> left = Files.walk(workDir)) {
                assertThat(left.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("upstream-results-")).toList())
                        .as("a process attempt's upstream directory is removed after it").isEmpty();
            }
            try (Stream<Path> cached = Files.list(workDir.resolve("upstream-results"))) {
                assertThat(cached.map(f -> f.getFileName().toString()).toList()).containsExactly(bigSha + ".result");
            }
            assertThat(h.coordinator.blobChunksServed(bigSha)).as("one 512 KiB chunk, fetched once for three attempts")
                    .isEqualTo(1);
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

            // An upstream result over this agent's cap is not fetched: the attempt fails (another agent may take it).
            byte[] big = SizedResultJob.bytes(7, 300_000);
            String bigSha = h.coordinator.putResultBlob(big);
            h.coordinator.addJvmJob("after", jar, UpstreamDigestJob.class.getName(), 1, 0, List.of());
            h.coordinator.setUpstream("after", List.of(new DependencyResult("j2-big").setState("SUCCEEDED")
                    .setResultBlob(new ResultBlobRef(bigSha, big.length))));
            TaskResult after = h.awaitResult(h.coordinator.assign(AGENT, "after", 0, null));
            assertThat(after.getOutcome()).isEqualTo(Outcome.FAILED);
            assertThat(after.getError()).contains("the result of upstream job j2-big is 300000 bytes, over this agent's"
                    + " result cap of 200000 bytes");
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
