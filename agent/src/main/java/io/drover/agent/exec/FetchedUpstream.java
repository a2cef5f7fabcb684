package io.drover.agent.exec;

import io.drover.agent.task.UpstreamResult;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * An upstream job's end as one attempt hands it to job code: its result inline, or in {@code file}
 * (the agent's cached copy) when it is a blob.
 */
record FetchedUpstream(UpstreamResult upstream, Optional<Path> file) {
    FetchedUpstream {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(file, "file");
    }

    /** The blob's size when in a file, else 0. */
    long fileSize() {
        return upstream.resultBlob().map(b -> b.size()).orElse(0L);
    }
}
