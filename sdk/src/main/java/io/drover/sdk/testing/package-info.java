/**
 * Unit-testing job code without a cluster.
 *
 * <p>{@link io.drover.sdk.testing.LocalJobRunner} runs a {@link io.drover.sdk.ShardedJob}'s shards and its
 * reduce step in the test's own JVM with the contexts, result codec round trip, result size cap,
 * timeout and cancellation an agent applies, so a job author's JUnit test exercises what the
 * cluster would do with the job. It needs nothing beyond the SDK's job API (no ZooKeeper, no Thrift,
 * no agent) and brings no test framework: assert on its results with the library of your choice.
 */
package io.drover.sdk.testing;
