package io.drover.agent.exec;

import io.drover.agent.artifact.ArtifactCache;
import io.drover.agent.artifact.ArtifactException;
import io.drover.agent.blob.BlobLink;
import io.drover.agent.blob.ResultDownload;
import io.drover.agent.blob.ResultUpload;
import io.drover.agent.blob.Setbacks;
import io.drover.agent.jobcode.ResultSpill;
import io.drover.agent.jobcode.ShardOutcome;
import io.drover.agent.task.ArtifactRef;
import io.drover.agent.task.Execution;
import io.drover.agent.task.RequestRejectedException;
import io.drover.agent.task.ResultBlob;
import io.drover.agent.task.TaskAssignment;
import io.drover.agent.task.UpstreamResult;
import io.drover.protocol.NoLeaderException;
import io.drover.protocol.ResultCodecNames;
import io.drover.protocol.Sha256;
import io.drover.protocol.WireLimits;
import io.drover.protocol.worker.ResultBlobSpill;
import io.drover.protocol.worker.TaskDone;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Results too large to report inline, on the agent's side (issue 17). Job code writes such a result to
 * a file in the attempt's directory ({@code attempt-<id>.result}): a worker JVM or an in-agent task
 * spills its encoded result there, a process task writes it to {@code DROVER_RESULT_FILE}. The agent
 * streams that file to the coordinator in chunks and reports only its hash and size, so the result is
 * never held whole in the agent's heap. A reduce task's inputs kept as blobs are fetched the same way
 * into files. The files go when the attempt ends. The results of upstream jobs kept as blobs (read by
 * the jobs that depend on them) are fetched into a bounded cache instead,
 * {@code <workDir>/upstream-results}, shared by a dependant's attempts.
 */
public final class ResultFiles {
    private static final Logger log = LoggerFactory.getLogger(ResultFiles.class);
    /** Failures in a row without progress before an upload or download gives up (each one after the link's own retries). */
    private static final int MAX_SETBACKS = 5;
    private static final String RESULT_SUFFIX = io.drover.agent.task.AttemptFileNames.RESULT;
    private static final String INPUT_SUFFIX = ".input-";
    /** The upstream blob cache keeps up to this many results of the largest size once no task leases them. */
    static final long UPSTREAM_CACHE_RESULTS = 2;

    private final BlobLink link;
    private final int inlineBytes;
    private final long maxBytes;
    private final ArtifactCache upstreamBlobs; // null when link is

    /**
     * @param link          the coordinator's blob calls, or null: results stay within the inline limit
     * @param inlineBytes   results up to this size are reported inline
     * @param maxBytes      larger results than this are rejected
     * @param upstreamCache where upstream results kept as blobs are cached (bounded by {@link #UPSTREAM_CACHE_RESULTS}
     *                      times {@code maxBytes}, beyond what running tasks lease); unused without a link
     */
    public ResultFiles(BlobLink link, int inlineBytes, long maxBytes, Path upstreamCache) {
        this.link = link;
        this.inlineBytes = inlineBytes;
        this.maxBytes = maxBytes;
        this.upstreamBlobs = link == null ? null
                : new ArtifactCache(upstreamCache, link::fetchResultBlob, UPSTREAM_CACHE_RESULTS * maxBytes, ".result");
    }

    /** Results up to the wire's inline limit only, as before blobs existed. */
    public static ResultFiles inlineOnly() {
        return new ResultFiles(null, WireLimits.MAX_RESULT_BYTES, WireLimits.MAX_RESULT_BYTES, null);
    }

    int inlineBytes() {
        return inlineBytes;
    }

    /** Where job code running in the agent spills a result over the inline limit; empty when results may not be blobs. */
    Optional<ResultSpill> inAgentSpill(TaskOutput output) {
        return link == null ? Optional.empty() : Optional.of(new ResultSpill(resultFile(output), maxBytes));
    }

    /**
     * Where the worker writes a result over the inline limit, given the attempt's files' common
     * absolute prefix ({@link io.drover.agent.task.AttemptFileNames#base}); empty when results may not be blobs.
     */
    Optional<ResultBlobSpill> spill(String attemptBase) {
        return link == null ? Optional.empty() : Optional.of(new ResultBlobSpill(attemptBase + RESULT_SUFFIX, maxBytes));
    }

    /** Fetches the reduce inputs kept as blobs into the attempt's directory: their files by shard. */
    Map<Integer, String> fetchInputs(TaskAssignment task, TaskOutput output) throws IOException, InterruptedException {
        return fetchInputs(task, shard -> output.sibling(INPUT_SUFFIX + shard));
    }

    /** Fetches the reduce inputs kept as blobs, each to {@code fileFor.apply(shard)}: their files by shard. */
    Map<Integer, String> fetchInputs(TaskAssignment task, IntFunction<Path> fileFor) throws IOException, InterruptedException {
        if (task.reduceInputBlobs().isEmpty()) {
            return Map.of();
        }
        if (link == null) {
            throw new IOException("this agent cannot fetch result blobs");
        }
        ResultDownload download = new ResultDownload(link, MAX_SETBACKS);
        Map<Integer, String> files = new HashMap<>();
        for (Map.Entry<Integer, ResultBlob> e : task.reduceInputBlobs().entrySet()) {
            Path file = fileFor.apply(e.getKey());
            files.put(e.getKey(), download.fetch(e.getValue(), file).toAbsolutePath().toString());
        }
        return files;
    }

    /**
     * An upstream job's result kept as a blob, in the agent's cache of upstream blobs (fetched there
     * once per agent while it stays cached: every attempt of a dependant reads the same file), leased
     * until closed. Fetched a chunk at a time, each chunk and the whole file checked, re-hashed on every
     * lease, and refused when larger than this agent's result cap ({@code --max-result-size}).
     */
    ArtifactCache.Lease leaseUpstream(String jobId, ResultBlob blob) throws IOException, InterruptedException {
        if (upstreamBlobs == null) {
            throw new IOException("this agent cannot fetch result blobs (the result of upstream job " + jobId + ")");
        }
        if (blob.size() > maxBytes) {
            throw new IOException("the result of upstream job " + jobId + " is " + blob.size()
                    + " bytes, over this agent's result cap of " + maxBytes + " bytes (--max-result-size)");
        }
        ArtifactRef ref = new ArtifactRef(blob.sha256(), blob.size());
        for (int setbacks = 1; ; setbacks++) {
            try {
                return upstreamBlobs.acquire(ref); // a retry resumes after the chunks already verified
            } catch (ArtifactException | NoLeaderException e) {
                // Refused (a new leader that does not know this agent's attempts yet) or no leader: worth a
                // few more tries; a corrupt chunk or a local disk error is not.
                boolean worthRetrying = e instanceof NoLeaderException || e.getCause() instanceof RequestRejectedException;
                if (!worthRetrying || setbacks > MAX_SETBACKS) {
                    throw new IOException("cannot fetch the result of upstream job " + jobId + ": " + e.getMessage(), e);
                }
                Setbacks.pause(setbacks);
            }
        }
    }

    /** A JVM attempt's upstream ends, the blobs among them leased from the cache until the inputs are closed. */
    UpstreamInputs fetchUpstream(List<UpstreamResult> upstream) throws IOException, InterruptedException {
        List<FetchedUpstream> out = new ArrayList<>(upstream.size());
        List<ArtifactCache.Lease> leases = new ArrayList<>();
        try {
            for (UpstreamResult u : upstream) {
                Optional<Path> file = Optional.empty();
                if (u.resultBlob().isPresent()) {
                    ArtifactCache.Lease lease = leaseUpstream(u.jobId(), u.resultBlob().get());
                    leases.add(lease);
                    file = Optional.of(lease.path().toAbsolutePath());
                }
                out.add(new FetchedUpstream(u, file));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            leases.forEach(ArtifactCache.Lease::close);
            throw e;
        }
        return new UpstreamInputs(out, leases);
    }

    /** The worker spilled its result: store it on the coordinator, then report only the reference. */
    Execution store(TaskDone done, TaskOutput output) throws InterruptedException {
        return store(done.getResultSha256(), done.getResultSize(), ResultCodecNames.usable(done.getResultCodec()),
                resultFile(output), "the worker");
    }

    /** Job code in the agent spilled its result: stored as the worker's is. */
    Execution store(ShardOutcome.Spilled spilled, TaskOutput output) throws InterruptedException {
        return store(spilled.sha256(), spilled.size(), spilled.codec(), resultFile(output), "the task");
    }

    /**
     * A process task's result file ({@code DROVER_RESULT_FILE}): reported inline up to the inline limit,
     * stored as a blob up to the cap, rejected over it (the same command would write as much again).
     * Only a regular file counts, else REJECTED: a link could make the agent upload what it, not the task,
     * may read, and the same command would make it again.
     */
    Execution fromFile(Path file) throws InterruptedException {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return Execution.rejected("the task's result file " + file.getFileName() + " is not a regular file"
                        + " (a link or a directory): write the result into $DROVER_RESULT_FILE itself");
            }
            long size = Files.size(file);
            if (size > maxBytes) {
                return Execution.rejected("the task's result file is " + size + " bytes, over the limit of " + maxBytes
                        + " bytes (the agent's --max-result-size); store larger outputs in the job's own storage and"
                        + " return a reference");
            }
            if (size <= inlineBytes) {
                byte[] bytes;
                try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                    bytes = in.readNBytes(inlineBytes + 1); // bounded even if something still writes to it
                }
                return bytes.length <= inlineBytes ? Execution.succeeded(bytes)
                        : Execution.failed("the task's result file grew while the agent read it");
            }
            return store(Sha256.hexOfFile(file), size, null, file, "the task");
        } catch (IOException e) {
            return Execution.failed("cannot read the task's result file " + file + ": " + e.getMessage());
        }
    }

    private Execution store(String sha256, long size, String codec, Path file, String who) throws InterruptedException {
        ResultBlob blob;
        try {
            blob = new ResultBlob(sha256, size);
        } catch (IllegalArgumentException e) {
            return Execution.failed(who + " described its result file wrongly: " + e.getMessage());
        }
        if (link == null) {
            return Execution.failed(who + " spilled a result although this agent stores none");
        }
        try {
            new ResultUpload(link, MAX_SETBACKS).send(file, blob);
        } catch (IOException e) {
            return Execution.failed("cannot store the result of " + blob.size() + " bytes on the coordinator: " + e.getMessage());
        }
        return Execution.succeededAsBlob(blob, codec);
    }

    /** Removes the attempt's result and input files: stored or given up, they are not needed any more. */
    void cleanUp(TaskAssignment task, TaskOutput output) {
        if (!task.reduceInputBlobs().isEmpty()) {
            cleanUp(output);
            return;
        }
        // No inputs were fetched into the directory: at most the result file is there (one unlink, not a listing per task).
        try {
            Files.deleteIfExists(resultFile(output));
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", resultFile(output), e.toString());
        }
    }

    /** Removes every result and input file of the attempt found in its directory. */
    void cleanUp(TaskOutput output) {
        try (var files = Files.list(output.dir())) {
            String prefix = output.sibling(".").getFileName().toString(); // "attempt-N.": not attempt N0's files
            files.filter(f -> {
                String name = f.getFileName().toString();
                return name.startsWith(prefix) && (name.endsWith(RESULT_SUFFIX) || name.contains(INPUT_SUFFIX));
            }).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    log.warn("cannot remove {}: {}", f, e.toString());
                }
            });
        } catch (IOException e) {
            log.warn("cannot list {} to remove result files: {}", output.dir(), e.toString());
        }
    }

    /** The attempt's result file: a spilled result, or a process task's {@code DROVER_RESULT_FILE}. */
    static Path resultFile(TaskOutput output) {
        return output.sibling(RESULT_SUFFIX);
    }
}
