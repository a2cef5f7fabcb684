package io.drover.examples;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import io.drover.sdk.UpstreamResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A job that runs after others ({@code --after}, a workflow's {@code after:}) and reads their results.
 * For each upstream job it writes one line: name (or id), final state, result size in bytes and the
 * result's SHA-256, streaming the result rather than reading it whole (a large result waits in a file
 * the agent fetched). Each argument names an upstream job whose result is an {@code int64} (such as
 * {@link PrimeCount}'s); the last line is their sum, read with {@link ShardContext#upstreamResult}.
 *
 * <pre>{@code
 * drover workflow submit - <<'EOF'
 * jobs:
 *   primes: {jar: jobs.jar, class: io.drover.examples.PrimeCount, shards: 4, reduce: true, args: ["100000"]}
 *   big:    {jar: jobs.jar, class: io.drover.examples.BigResult, args: ["300KiB"]}
 *   report: {jar: jobs.jar, class: io.drover.examples.UpstreamReport, args: [primes], after: [primes, big]}
 * EOF
 * }</pre>
 */
public final class UpstreamReport implements ShardedJob<String> {

    @Override
    public ResultCodec<String> resultCodec() {
        return Codecs.utf8();
    }

    @Override
    public String runShard(ShardContext context) {
        StringBuilder out = new StringBuilder();
        for (UpstreamResult u : context.upstream()) {
            out.append(u.name().orElse(u.jobId())).append('\t')
                    .append(u.state().map(Enum::name).orElse("UNKNOWN")).append('\t')
                    .append(u.resultSize()).append('\t')
                    .append(u.hasResult() ? sha256(u) : "-").append('\n');
        }
        long sum = 0;
        for (String name : context.arguments()) {
            sum += context.upstreamResult(name, Codecs.int64()).orElseThrow(() ->
                    new IllegalStateException("upstream job " + name + " has no result"));
        }
        if (!context.arguments().isEmpty()) {
            out.append("sum of ").append(String.join(", ", context.arguments())).append(": ").append(sum).append('\n');
        }
        return out.toString();
    }

    private static String sha256(UpstreamResult u) {
        try (InputStream in = u.openResult()) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the result of upstream job " + u.jobId(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
