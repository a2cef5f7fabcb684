package io.drover.sdk.testing;

import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.util.ArrayList;
import java.util.List;

/**
 * One attempt of a shard or of the reduce step, run on the calling thread as an agent runs it: the
 * job's class loader as context loader, {@code null} and oversized results refused, the result
 * encoded with the job's codec. Returns the encoded bytes; every failure is a
 * {@link ShardFailedException} naming the shard.
 */
final class LocalAttempt<R> {
    private final ShardedJob<R> job;
    private final int maxResultBytes;

    LocalAttempt(ShardedJob<R> job, int maxResultBytes) {
        this.job = job;
        this.maxResultBytes = maxResultBytes;
    }

    /** Runs {@code runShard}, or {@code reduce} over {@code reduceInputs} when they are given. */
    byte[] run(ShardContext context, List<byte[]> reduceInputs) throws InterruptedException {
        boolean reduce = reduceInputs != null;
        String method = job.getClass().getName() + (reduce ? ".reduce" : ".runShard");
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(job.getClass().getClassLoader());
        try {
            ResultCodec<R> codec = job.resultCodec();
            if (codec == null) {
                throw failure(context, job.getClass().getName() + ".resultCodec returned null", null);
            }
            R value = reduce ? job.reduce(decodeAll(codec, reduceInputs, context), context) : job.runShard(context);
            if (value == null) {
                throw failure(context, method + " returned null", null);
            }
            byte[] bytes = encode(codec, value, context);
            if (bytes.length > maxResultBytes) {
                throw failure(context, "result of " + job.getClass().getName() + " is " + bytes.length
                        + " bytes, over the limit of " + maxResultBytes + " bytes; store large outputs in the job's own"
                        + " storage and return a reference", null);
            }
            return bytes;
        } catch (ShardFailedException e) {
            throw e;
        } catch (InterruptedException e) {
            throw e; // the runner tells a timeout from a cancel
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            throw failure(context, String.valueOf(e), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Decodes the result of shard {@code shardIndex} (the reduce step's when it equals {@code shardCount}). */
    R decode(ResultCodec<R> codec, byte[] bytes, int shardIndex, int shardCount) {
        try {
            return codec.decode(bytes.clone());
        } catch (RuntimeException e) {
            throw new ShardFailedException(shardIndex, shardCount, "its result cannot be decoded by "
                    + job.getClass().getName() + ".resultCodec: " + e, e);
        }
    }

    private byte[] encode(ResultCodec<R> codec, R value, ShardContext context) {
        try {
            byte[] bytes = codec.encode(value);
            if (bytes == null) {
                throw failure(context, job.getClass().getName() + ".resultCodec encoded a result as null", null);
            }
            return bytes;
        } catch (ShardFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure(context, "its result cannot be encoded: " + e, e);
        }
    }

    private List<R> decodeAll(ResultCodec<R> codec, List<byte[]> inputs, ShardContext context) {
        List<R> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            try {
                out.add(codec.decode(inputs.get(i).clone()));
            } catch (RuntimeException e) {
                throw failure(context, "reduce input of shard " + i + " cannot be decoded: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static ShardFailedException failure(ShardContext context, String reason, Throwable cause) {
        return new ShardFailedException(context.shardIndex(), context.shardCount(), reason, cause);
    }
}
