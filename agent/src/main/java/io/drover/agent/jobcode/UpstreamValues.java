package io.drover.agent.jobcode;

import io.drover.sdk.JobState;
import io.drover.sdk.UpstreamResult;
import java.nio.file.Path;
import java.util.Optional;

/** Upstream ends as job code sees them ({@link io.drover.sdk.ShardContext#upstream()}), from what the agent was handed. */
public final class UpstreamValues {
    private UpstreamValues() {
    }

    /** {@code file} when the result was a blob fetched there ({@code result} then empty). */
    public static UpstreamResult of(String jobId, Optional<String> name, Optional<String> state, Optional<byte[]> result,
                                    Optional<Path> file, long fileSize) {
        Optional<JobState> known = state.flatMap(UpstreamValues::jobState);
        return file.isPresent() ? UpstreamResult.inFile(jobId, name, known, file.get(), fileSize)
                : UpstreamResult.of(jobId, name, known, result);
    }

    /** A state this SDK does not know (a newer coordinator's) reads as unknown rather than failing the task. */
    private static Optional<JobState> jobState(String name) {
        for (JobState s : JobState.values()) {
            if (s.name().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
