package io.drover.agent.jobcode;

import io.drover.agent.platform.PrivateFiles;
import io.drover.protocol.ResultCodecNames;
import io.drover.protocol.Sha256;
import java.io.IOException;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardedJob;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one shard (or the reduce step) of a loaded job on the calling thread, with the job's class
 * loader as the context loader, and encodes the result with the job's codec.
 *
 * <p>Job-local failures (exceptions, linkage and assertion errors, stack overflow) become
 * {@link ShardOutcome.Failed}. Other {@link Error}s ({@link OutOfMemoryError}, internal errors)
 * concern the whole JVM and propagate: the caller decides what that JVM can still do.
 */
public final class ShardRunner {
    private ShardRunner() {
    }

    public static ShardOutcome run(ShardedJob<?> job, TaskInput input, int maxResultBytes) throws InterruptedException {
        return run(job, input, maxResultBytes, null);
    }

    /**
     * As above; a result over {@code maxResultBytes} goes to {@code spill}'s file when given (and within its
     * cap), else it is rejected.
     */
    public static ShardOutcome run(ShardedJob<?> job, TaskInput input, int maxResultBytes, ResultSpill spill)
            throws InterruptedException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(job.getClass().getClassLoader());
        try {
            return runTyped(job, input, maxResultBytes, spill);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            return new ShardOutcome.Failed(Failures.describe(e));
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static <R> ShardOutcome runTyped(ShardedJob<R> job, TaskInput input, int maxResultBytes, ResultSpill spill)
            throws Exception {
        String entry = job.getClass().getName();
        ResultCodec<R> codec = job.resultCodec();
        R value;
        if (input.reduceTask()) {
            List<R> inputs;
            try {
                inputs = decodeAll(codec, input.reduceInputs());
            } catch (UndecodableInput e) {
                return new ShardOutcome.Rejected(e.getMessage());
            }
            value = job.reduce(inputs, input.context());
        } else {
            value = job.runShard(input.context());
        }
        if (value == null) {
            return new ShardOutcome.Failed(entry + (input.reduceTask() ? ".reduce" : ".runShard") + " returned null");
        }
        byte[] bytes = codec.encode(value);
        value = null; // the encoded bytes are what is kept: let a large value go before the copy to disk
        if (bytes.length <= maxResultBytes) {
            return new ShardOutcome.Succeeded(bytes, codecName(codec));
        }
        long limit = spill == null ? maxResultBytes : spill.maxBytes();
        if (bytes.length > limit) {
            // The same code returns the same size again: retrying cannot help.
            return new ShardOutcome.Rejected("result of " + entry + " is " + bytes.length + " bytes, over the limit of "
                    + limit + " bytes; store larger outputs in the job's own storage and return a reference");
        }
        try {
            PrivateFiles.directories(spill.path().getParent()); // an in-agent task's directory is made only when needed
            PrivateFiles.write(spill.path(), bytes); // the agent stores it on the coordinator from here
        } catch (IOException e) {
            return new ShardOutcome.Failed("cannot write the result of " + entry + " (" + bytes.length + " bytes) to "
                    + spill.path() + ": " + e);
        }
        return new ShardOutcome.Spilled(Sha256.hex(bytes), bytes.length, codecName(codec));
    }

    /** The codec's name, if it may be reported; a name() that throws loses the label, not the result. */
    private static String codecName(ResultCodec<?> codec) {
        try {
            return ResultCodecNames.usable(codec.name());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The committed shard results do not change: one that does not decode never will. */
    private static <R> List<R> decodeAll(ResultCodec<R> codec, List<byte[]> inputs) throws UndecodableInput {
        List<R> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            try {
                out.add(codec.decode(inputs.get(i)));
            } catch (RuntimeException | LinkageError e) {
                throw new UndecodableInput("reduce input of shard " + i + " cannot be decoded by " + codec.getClass().getName()
                        + ": " + Failures.describe(e), e);
            }
        }
        return out;
    }

    private static final class UndecodableInput extends Exception {
        UndecodableInput(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
