package io.drover.examples;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.util.List;
import java.util.Locale;

/**
 * Evaluates a cost function at one point per shard and keeps the best. Each shard's parameter is
 * a number x; the shard returns {@code "x=<x>,f=<f(x)>"} where f is the one-dimensional
 * Rosenbrock-like valley {@code f(x) = (1 - x)^2 + 100 (x^2 - x)^2}, minimal (0) at x = 1 and 0.
 * Reduce returns the shard result with the smallest f (the earlier shard on ties).
 */
public final class ParameterSweep implements ShardedJob<String> {

    @Override
    public ResultCodec<String> resultCodec() {
        return Codecs.utf8();
    }

    @Override
    public String runShard(ShardContext context) {
        String parameter = context.parameter().orElseThrow(() -> new IllegalArgumentException(
                "ParameterSweep needs one shard parameter (a number) per shard"));
        double x;
        try {
            x = Double.parseDouble(parameter.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shard parameter '" + parameter + "' is not a number", e);
        }
        return format(x, cost(x));
    }

    @Override
    public String reduce(List<String> shardResults, ShardContext context) {
        String best = null;
        double bestCost = Double.POSITIVE_INFINITY;
        for (String r : shardResults) {
            double f = costOf(r);
            if (best == null || f < bestCost) {
                best = r;
                bestCost = f;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no shard results to reduce");
        }
        return best;
    }

    static double cost(double x) {
        double a = 1 - x;
        double b = x * x - x;
        return a * a + 100 * b * b;
    }

    static String format(double x, double f) {
        return String.format(Locale.ROOT, "x=%s,f=%s", x, f);
    }

    static double costOf(String result) {
        int at = result.indexOf(",f=");
        if (at < 0) {
            throw new IllegalArgumentException("not a sweep result: " + result);
        }
        return Double.parseDouble(result.substring(at + 3));
    }
}
