package io.drover.web.api;

import io.drover.sdk.Codecs;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobState;
import io.drover.sdk.JobStatus;
import io.drover.web.api.dto.Dtos;
import io.drover.web.api.dto.JobJson;
import io.drover.web.api.dto.Rate;
import io.drover.web.api.dto.ResultJson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One job as {@code GET /api/v1/jobs/{id}} and {@code drover status --output json} show it: with its single result,
 * or, for a succeeded job without one, its first {@value #SHARD_RESULTS_SHOWN} shard results (one more call).
 */
public final class JobDetails {
    public static final int SHARD_RESULTS_SHOWN = 20;

    private JobDetails() {
    }

    /** {@code s} is the job's status just read through {@code job}. */
    public static JobJson of(JobHandle job, JobStatus s, Instant now, Optional<Rate> rate) {
        Optional<ResultJson> single = Dtos.singleResult(s);
        if (s.state() == JobState.SUCCEEDED && single.isEmpty()) {
            List<byte[]> shards = job.shardResults(Duration.ZERO, Codecs.bytes());
            List<ResultJson> shown = shards.stream().limit(SHARD_RESULTS_SHOWN).map(b -> Dtos.result(b, s.resultCodec())).toList();
            return Dtos.job(s, now, rate, null, shown, shards.size());
        }
        return Dtos.job(s, now, rate, single.orElse(null), null, null);
    }
}
