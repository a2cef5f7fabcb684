package io.drover.agent.testjobs;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import io.drover.sdk.UpstreamResult;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * For each upstream job one line: name, state, size, SHA-256 of its bytes; then the upstream "count"
 * decoded as an int64 through {@link ShardContext#upstreamResult}.
 */
public class UpstreamDigestJob implements ShardedJob<String> {
    @Override
    public ResultCodec<String> resultCodec() {
        return Codecs.utf8();
    }

    @Override
    public String runShard(ShardContext context) throws Exception {
        StringBuilder out = new StringBuilder();
        for (UpstreamResult u : context.upstream()) {
            String sha = u.hasResult()
                    ? HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(u.resultBytes().orElseThrow())) : "-";
            out.append(u.name().orElse(u.jobId())).append(' ').append(u.state().map(Enum::name).orElse("UNKNOWN"))
                    .append(' ').append(u.resultSize()).append(' ').append(sha).append('\n');
        }
        return out.append("count=").append(context.upstreamResult("count", Codecs.int64()).orElse(-1L)).toString();
    }
}
