/**
 * Drover's public Java API.
 *
 * <p>Job code implements {@link io.drover.sdk.ShardedJob} (runs per shard, optional reduce) with an
 * explicit {@link io.drover.sdk.ResultCodec}; agents run it. Clients describe work with
 * {@link io.drover.sdk.JobSpec}, submit it through {@link io.drover.sdk.DroverClient}, and follow it
 * through the returned {@link io.drover.sdk.JobHandle} ({@code status}, {@code await}, {@code cancel},
 * typed {@code result} or {@code shardResults}).
 *
 * <p>Client flow: {@code submit} hashes a local job jar (SHA-256), asks the leader how much of it is
 * stored ({@code beginUpload}), sends the rest in checksummed chunks, then submits the job with the
 * jar's hash and the spec's idempotency key. Every call goes through one connection that finds the
 * leader among the configured endpoints and retries until a deadline; because submits are keyed and
 * uploads resume from the coordinator's own offset, retrying never duplicates a job or a chunk.
 *
 * <p>Errors are unchecked and typed: {@link io.drover.sdk.InvalidJobException} (rejected request,
 * message names the field), {@link io.drover.sdk.CoordinatorUnavailableException},
 * {@link io.drover.sdk.DroverTimeoutException}, {@link io.drover.sdk.JobFailedException}, all
 * {@link io.drover.sdk.DroverException}s. Anything under {@code io.drover.sdk.internal} (including
 * the generated Thrift code) carries no compatibility promise.
 */
package io.drover.sdk;
