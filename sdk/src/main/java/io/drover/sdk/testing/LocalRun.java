package io.drover.sdk.testing;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link LocalJobRunner} run produced. Every value went through the job's result codec
 * (encoded, checked against the size cap, decoded), as results that cross a cluster do.
 *
 * @param shardResults  each shard's result, in shard order
 * @param reduceResult  the reduce step's result, when the runner was built with {@code reduce(true)}
 * @param <R> the job's result type
 */
public record LocalRun<R>(List<R> shardResults, Optional<R> reduceResult) {
    /**
     * @param shardResults each shard's result, in shard order (copied)
     * @param reduceResult the reduce step's result, if the run had one
     */
    public LocalRun {
        shardResults = List.copyOf(shardResults);
        Objects.requireNonNull(reduceResult, "reduceResult");
    }

    /**
     * The job's result: the reduce step's.
     *
     * @return the reduce step's result
     * @throws IllegalStateException when the run had no reduce step
     */
    public R result() {
        return reduceResult.orElseThrow(() -> new IllegalStateException(
                "this run had no reduce step: build the runner with reduce(true), or read shardResults()"));
    }
}
