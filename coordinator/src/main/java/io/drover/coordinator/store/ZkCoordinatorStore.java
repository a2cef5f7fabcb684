package io.drover.coordinator.store;

import io.drover.coordinator.core.DurableSnapshot;
import io.drover.coordinator.core.Fact;
import io.drover.coordinator.core.FactReplay;
import io.drover.coordinator.core.RecoveredJob;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CoordinatorStore} on ZooKeeper.
 *
 * <pre>
 * {root}/epoch             8-byte epoch; its znode version fences every leader write
 * {root}/log/b-NNNNNNNNNN  append-only batches of facts, one group commit each
 * {root}/artifacts/{sha}   artifact metadata, chunks as children c-NNNNNNNN
 * {root}/results/{sha}     large task results (issue 17), laid out as artifacts
 * {root}/snapshots/s-NNNNNNNNNN  a compaction: chunks c-NNNNNN of live facts, manifest m-NNNNNN naming
 *                          the finished jobs' archives in force; data = the log position it covers, once complete
 * {root}/finished/{job}    a finished job's facts, written once (see {@link ZkFinishedJobs})
 * </pre>
 * A group commit is one ZooKeeper multi: check(epoch version) + create(batch znodes), or, when a
 * turn's facts exceed the transaction budget ({@link #DEFAULT_TXN_BUDGET_BYTES}, well inside
 * ZooKeeper's 1 MiB packet limit), several such multis, each fenced, sent in order on the one
 * session. Batches stay under {@link #MAX_BATCH_BYTES} unless one fact alone is larger; no fact is
 * larger than {@link #MAX_FACT_BYTES}.
 */
public final class ZkCoordinatorStore implements CoordinatorStore {
    private static final Logger log = LoggerFactory.getLogger(ZkCoordinatorStore.class);
    static final int MAX_BATCH_BYTES = 256 * 1024;
    /** Default bytes of facts in one fenced transaction: half of ZooKeeper's 1 MiB jute.maxbuffer. */
    public static final int DEFAULT_TXN_BUDGET_BYTES = 512 * 1024;
    /**
     * Largest one fact may be. A job definition is bounded at 256 KiB of strings at the edge, an
     * agent registration and a schedule well below this, so only a bug reaches it.
     */
    static final int MAX_FACT_BYTES = 384 * 1024;
    /** Path, mode and ACL of one create in a multi, beyond its data. */
    private static final int OP_OVERHEAD_BYTES = 256;

    private final CuratorFramework zk;
    private final String epochPath;
    private final String logPath;
    private final String artifactsPath;
    private final String snapshotsPath;
    private final ZkArtifactStore artifacts;
    private final String resultBlobsPath;
    private final ZkArtifactStore resultBlobs;
    private final FencedMulti multi;
    private final ZkFinishedJobs finished;
    private final int txnBudgetBytes;
    private final int maxFactBytes;
    private final AtomicLong transactions = new AtomicLong();

    public ZkCoordinatorStore(CuratorFramework zk, String root) {
        this(zk, root, DEFAULT_TXN_BUDGET_BYTES);
    }

    /** @param txnBudgetBytes most bytes of facts one fenced ZooKeeper transaction of the log carries */
    public ZkCoordinatorStore(CuratorFramework zk, String root, int txnBudgetBytes) {
        if (txnBudgetBytes < 64 * 1024 || txnBudgetBytes > 900 * 1024) {
            throw new IllegalArgumentException("txnBudgetBytes must be 64 KiB..900 KiB (ZooKeeper takes at most 1 MiB), was "
                    + txnBudgetBytes);
        }
        this.txnBudgetBytes = txnBudgetBytes;
        this.maxFactBytes = Math.min(MAX_FACT_BYTES, txnBudgetBytes - OP_OVERHEAD_BYTES - FactCodec.BATCH_HEADER_BYTES);
        this.zk = zk;
        this.epochPath = root + "/epoch";
        this.logPath = root + "/log";
        this.artifactsPath = root + "/artifacts";
        this.snapshotsPath = root + "/snapshots";
        this.multi = new FencedMulti(zk, epochPath);
        this.artifacts = new ZkArtifactStore(zk, artifactsPath, multi);
        this.resultBlobsPath = root + "/results";
        this.resultBlobs = new ZkArtifactStore(zk, resultBlobsPath, multi);
        this.finished = new ZkFinishedJobs(zk, root + "/finished", multi, txnBudgetBytes, OP_OVERHEAD_BYTES);
    }

    @Override
    public java.util.Optional<StoreSizes.FactLog> factLogSize() {
        return java.util.Optional.of(new ZkFactLogSize(zk).measure(logPath, snapshotsPath, finished.path()));
    }

    @Override
    public Epoch acquireEpoch() {
        try {
            ensure(logPath);
            ensure(artifactsPath);
            ensure(resultBlobsPath);
            ensure(snapshotsPath);
            ensure(finished.path());
            while (true) {
                Stat stat = new Stat();
                byte[] data;
                try {
                    data = zk.getData().storingStatIn(stat).forPath(epochPath);
                } catch (KeeperException.NoNodeException e) {
                    try {
                        zk.create().creatingParentsIfNeeded().forPath(epochPath, longBytes(0));
                    } catch (KeeperException.NodeExistsException raced) {
                        log.debug("epoch node created concurrently");
                    }
                    continue;
                }
                long next = ByteBuffer.wrap(data).getLong() + 1;
                try {
                    Stat written = zk.setData().withVersion(stat.getVersion()).forPath(epochPath, longBytes(next));
                    return new Epoch(next, written.getVersion());
                } catch (KeeperException.BadVersionException raced) {
                    log.info("another coordinator bumped the epoch concurrently; retrying");
                }
            }
        } catch (Exception e) {
            throw unavailable("taking a new epoch", e);
        }
    }

    private void ensure(String path) throws Exception {
        try {
            zk.create().creatingParentsIfNeeded().forPath(path, new byte[0]);
        } catch (KeeperException.NodeExistsException e) {
            log.trace("{} exists", path);
        }
    }

    /**
     * Every fact in force, in the order written: the newest complete snapshot, then the log
     * batches written after it. For recovery, and for tests that audit exactly-once commits.
     */
    public List<Fact> readLog() {
        List<Fact> out = new ArrayList<>();
        readLog(out::add);
        return out;
    }

    /**
     * Hands every fact in force to {@code sink}, batch by batch as decoded: a new leader folds a
     * log of a million commits into its replay without holding them all as objects first.
     */
    private int readLog(java.util.function.Consumer<Fact> sink) {
        try {
            List<String> paths = new ArrayList<>();
            long covered = -1;
            String snapshot = latestCompleteSnapshot();
            if (snapshot != null) {
                String at = snapshotsPath + "/" + snapshot;
                covered = ByteBuffer.wrap(zk.getData().forPath(at)).getLong();
                List<String> chunks = new ArrayList<>(zk.getChildren().forPath(at));
                Collections.sort(chunks);
                List<String> manifest = new ArrayList<>();
                for (String chunk : chunks) {
                    (chunk.startsWith("m-") ? manifest : paths).add(at + "/" + chunk);
                }
                // The finished jobs the snapshot keeps come first: they were accepted before the live ones.
                List<String> archived = new ArrayList<>();
                ZkReads.existing(zk, manifest).forEach(m -> archived.addAll(ZkFinishedJobs.namesIn(m)));
                paths.addAll(0, finished.chunkPaths(archived));
            }
            for (String batch : sortedBatches()) {
                if (seqOf(batch) > covered) {
                    paths.add(logPath + "/" + batch);
                }
            }
            List<byte[]> batches = ZkReads.existing(zk, paths);
            int facts = 0;
            for (int i = 0; i < batches.size(); i++) {
                List<Fact> decoded = FactCodec.decode(batches.get(i));
                batches.set(i, null); // read once: its bytes can go as the replay proceeds
                decoded.forEach(sink);
                facts += decoded.size();
            }
            return facts;
        } catch (StoreException e) {
            throw e;
        } catch (Exception e) {
            throw unavailable("reading the fact log", e);
        }
    }

    private List<String> sortedBatches() throws Exception {
        List<String> batches = new ArrayList<>(zk.getChildren().forPath(logPath));
        Collections.sort(batches);
        return batches;
    }

    private static long seqOf(String batch) {
        return Long.parseLong(batch.substring(batch.indexOf('-') + 1));
    }

    /** Snapshots are complete once their data holds the log sequence number they cover. */
    private String latestCompleteSnapshot() throws Exception {
        List<String> snapshots = new ArrayList<>(zk.getChildren().forPath(snapshotsPath));
        snapshots.sort(Collections.reverseOrder());
        for (String name : snapshots) {
            if (zk.getData().forPath(snapshotsPath + "/" + name).length == 8) {
                return name;
            }
        }
        return null;
    }

    @Override
    public void compact(Epoch epoch, List<Fact> snapshot) {
        compact(epoch, snapshot, () -> { });
    }

    @Override
    public void compact(Epoch epoch, List<Fact> snapshot, Runnable progress) {
        compact(epoch, new DurableSnapshot(snapshot, List.of()), progress);
    }

    /**
     * Reports progress after each fenced transaction and each old snapshot removed. Finished jobs not yet
     * archived are archived first; the snapshot holds the live facts and names the archives it keeps; once it
     * is in force, the log it covers, older snapshots and archives it does not name are removed.
     */
    @Override
    public void compact(Epoch epoch, DurableSnapshot state, Runnable progress) {
        List<Fact> snapshot = state.live();
        try {
            List<String> batches = sortedBatches();
            if (batches.isEmpty()) {
                return;
            }
            long covered = seqOf(batches.get(batches.size() - 1));
            String name = String.format("s-%010d", covered);
            String path = snapshotsPath + "/" + name;
            List<String> archived = finished.archive(epoch, state.finished(), this::encodedBatches, progress);
            FencedTxns txns = new FencedTxns(multi, epoch, txnBudgetBytes, OP_OVERHEAD_BYTES, progress);
            txns.add(zk.transactionOp().create().forPath(path, new byte[0]), 0);
            int index = 0;
            for (byte[] names : ZkFinishedJobs.manifest(archived, MAX_BATCH_BYTES)) {
                txns.add(zk.transactionOp().create().forPath(String.format("%s/m-%06d", path, index++), names), names.length);
            }
            index = 0;
            for (List<byte[]> part : batches(snapshot)) {
                byte[] data = FactCodec.batch(part);
                txns.add(zk.transactionOp().create().forPath(String.format("%s/c-%06d", path, index++), data), data.length);
            }
            txns.add(zk.transactionOp().setData().forPath(path, longBytes(covered)), 8);
            txns.send();
            // The snapshot is in force; what it covers can go (fenced, so a deposed leader stops here).
            List<CuratorOp> deletes = new ArrayList<>();
            for (String batch : batches) {
                deletes.add(zk.transactionOp().delete().forPath(logPath + "/" + batch));
                if (deletes.size() == 500) {
                    run(epoch, deletes);
                    progress.run();
                    deletes.clear();
                }
            }
            if (!deletes.isEmpty()) {
                run(epoch, deletes);
            }
            for (String old : zk.getChildren().forPath(snapshotsPath)) {
                if (old.compareTo(name) < 0) {
                    zk.delete().deletingChildrenIfNeeded().forPath(snapshotsPath + "/" + old);
                    progress.run();
                }
            }
            finished.removeAllBut(epoch, archived, progress);
            log.info("compacted {} log batches into snapshot {} of {} facts and {} finished jobs", batches.size(), name,
                    snapshot.size(), archived.size());
        } catch (KeeperException.NodeExistsException e) {
            log.info("snapshot of this log position already exists; compaction skipped");
        } catch (StoreException e) {
            throw e;
        } catch (Exception e) {
            throw unavailable("compacting the fact log", e);
        }
    }

    @Override
    public io.drover.coordinator.core.RecoveredState loadState() {
        long started = System.nanoTime();
        FactReplay replay = new FactReplay();
        int facts = readLog(replay::apply);
        io.drover.coordinator.core.RecoveredState state = replay.state();
        log.info("loaded {} jobs and {} agents from {} facts in {} ms", state.jobs().size(), state.agents().size(), facts,
                java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return state;
    }

    @Override
    public List<RecoveredJob> load() {
        try {
            List<Fact> facts = readLog();
            FactReplay replay = new FactReplay();
            facts.forEach(replay::apply);
            if (replay.orphans() > 0) {
                log.warn("{} facts named jobs with no accepted definition; ignored", replay.orphans());
            }
            List<RecoveredJob> out = replay.jobs();
            log.info("loaded {} jobs from {} facts", out.size(), facts.size());
            return out;
        } catch (StoreException e) {
            throw e;
        } catch (Exception e) {
            throw unavailable("loading durable state", e);
        }
    }

    @Override
    public void commit(Epoch epoch, List<Fact> facts) {
        if (facts.isEmpty()) {
            return;
        }
        try {
            for (List<CuratorOp> txn : transactions(facts)) {
                run(epoch, txn);
                transactions.incrementAndGet();
            }
        } catch (StoreException | IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw unavailable("committing " + facts.size() + " facts", e);
        }
    }

    /**
     * Pipelined group commit: the transactions go out in the background, and ZooKeeper applies a
     * session's requests in order, so commits land in the order they were started; once one fails
     * the epoch check, every later one fails it too.
     */
    @Override
    public CompletableFuture<Void> commitAsync(Epoch epoch, List<Fact> facts) {
        CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
        if (facts.isEmpty()) {
            return done;
        }
        try {
            List<CompletableFuture<Void>> parts = new ArrayList<>();
            for (List<CuratorOp> ops : transactions(facts)) {
                parts.add(multi.runAsync(epoch, ops, "committing " + facts.size() + " facts")
                        .thenRun(transactions::incrementAndGet));
            }
            return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(unavailable("committing " + facts.size() + " facts", e));
        }
    }

    /**
     * Facts as ZooKeeper transactions, in order: batches (znodes) under {@link #MAX_BATCH_BYTES},
     * transactions under the byte budget, by the facts' exact encoded size. A fact beyond
     * {@link #maxFactBytes} cannot be split: the edge's bounds make it impossible, and should one
     * come anyway it is refused before anything of its turn is written.
     */
    private List<List<CuratorOp>> transactions(List<Fact> facts) throws Exception {
        List<List<CuratorOp>> out = new ArrayList<>();
        List<CuratorOp> ops = new ArrayList<>();
        int txnBytes = 0;
        for (List<byte[]> batch : batches(facts)) {
            byte[] data = FactCodec.batch(batch);
            int cost = data.length + OP_OVERHEAD_BYTES;
            if (!ops.isEmpty() && txnBytes + cost > txnBudgetBytes) {
                out.add(ops);
                ops = new ArrayList<>();
                txnBytes = 0;
            }
            ops.add(zk.transactionOp().create().withMode(CreateMode.PERSISTENT_SEQUENTIAL).forPath(logPath + "/b-", data));
            txnBytes += cost;
        }
        out.add(ops);
        return out;
    }

    /** Facts as encoded batches, as the log writes them. */
    private List<byte[]> encodedBatches(List<Fact> facts) {
        List<byte[]> out = new ArrayList<>();
        batches(facts).forEach(part -> out.add(FactCodec.batch(part)));
        return out;
    }

    private List<List<byte[]>> batches(List<Fact> facts) {
        List<List<byte[]>> out = new ArrayList<>();
        List<byte[]> current = new ArrayList<>();
        int bytes = FactCodec.BATCH_HEADER_BYTES;
        for (CommittedRuns.Entry entry : CommittedRuns.group(facts)) {
            byte[] encoded = FactCodec.encodeEntry(entry);
            if (encoded.length > maxFactBytes) {
                Fact f = entry instanceof CommittedRuns.Single one ? one.fact() : ((CommittedRuns.Run) entry).commits().get(0);
                throw new IllegalStateException("a " + f.getClass().getSimpleName() + " fact" + (f.jobId() == null ? ""
                        : " of job " + f.jobId()) + " takes " + encoded.length + " bytes, beyond the budget of " + maxFactBytes
                        + " bytes for one fact; refused, nothing of this commit was written");
            }
            if (!current.isEmpty() && bytes + encoded.length > MAX_BATCH_BYTES) {
                out.add(current);
                current = new ArrayList<>();
                bytes = FactCodec.BATCH_HEADER_BYTES;
            }
            current.add(encoded);
            bytes += encoded.length;
        }
        out.add(current);
        return out;
    }

    /** Sent once: see {@link FencedMulti} for why not through Curator's retries. */
    private void run(Epoch epoch, List<CuratorOp> ops) throws Exception {
        multi.run(epoch, ops);
    }

    /** Fenced transactions of the fact log committed through this store: for metrics and tests. */
    public long transactionsCommitted() {
        return transactions.get();
    }

    @Override
    public ArtifactStore artifacts() {
        return artifacts;
    }

    @Override
    public ArtifactStore resultBlobs() {
        return resultBlobs;
    }

    static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    static StoreException unavailable(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new StoreException("ZooKeeper unavailable while " + what + ": " + e, e);
    }
}
