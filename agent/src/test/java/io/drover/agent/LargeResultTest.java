package io.drover.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.testing.AgentHarness;
import io.drover.agent.testing.TestJars;
import io.drover.agent.testjobs.SizedResultJob;
import io.drover.protocol.Sha256;
import io.drover.protocol.thrift.Outcome;
import io.drover.protocol.thrift.ResultBlobRef;
import io.drover.protocol.thrift.TaskResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results over the inline limit, through a real worker JVM and real Thrift: stored on the (fake)
 * coordinator as blobs and reported by hash, fetched back as reduce inputs; over the cap, rejected at once.
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

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
