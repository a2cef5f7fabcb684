package io.drover.coordinator.store;

import io.drover.coordinator.core.DurableSnapshot;
import io.drover.coordinator.core.Fact;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;

/**
 * Finished jobs' facts, each job written once, at the first compaction after it ended, and named by every
 * later snapshot that keeps it (the snapshot's manifest), instead of written again into each snapshot:
 * a compaction then costs what the live work costs, not the history kept (a leader keeping a few 200,000-task
 * jobs rewrote them all every 200,000 facts).
 *
 * <pre>
 * {root}/finished/{name}            empty while being written; then 8 bytes: how many chunks it has
 * {root}/finished/{name}/c-NNNNNN   fact batches, as the log's
 * </pre>
 * Every write is fenced. An archive no snapshot in force names (an evicted job, or one a compaction that
 * failed part-way wrote) is deleted by the next compaction, after its snapshot is in force.
 */
final class ZkFinishedJobs {
    private final CuratorFramework zk;
    private final String path;
    private final FencedMulti multi;
    private final int txnBudgetBytes;
    private final int opOverheadBytes;
    /** Archives known complete (this store's writes, and what it found): read from ZooKeeper once. */
    private Set<String> complete;

    ZkFinishedJobs(CuratorFramework zk, String path, FencedMulti multi, int txnBudgetBytes, int opOverheadBytes) {
        this.zk = zk;
        this.path = path;
        this.multi = multi;
        this.txnBudgetBytes = txnBudgetBytes;
        this.opOverheadBytes = opOverheadBytes;
    }

    String path() {
        return path;
    }

    /** A znode name for a job id: as is when it is plain (ids are {@code jE-N}), else hex of its bytes. */
    static String nameOf(String jobId) {
        return jobId.matches("[A-Za-z0-9_.-]{1,200}") && !jobId.startsWith("x") ? jobId
                : "x" + HexFormat.of().formatHex(jobId.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes the archives of {@code finished} that do not exist yet (removing a half-written one first) and
     * returns the names of all of them, for the snapshot's manifest.
     */
    List<String> archive(Epoch epoch, List<DurableSnapshot.FinishedJob> finished, Function<List<Fact>, List<byte[]>> encode,
                         Runnable progress) throws Exception {
        Set<String> done = complete();
        List<String> names = new ArrayList<>(finished.size());
        for (DurableSnapshot.FinishedJob job : finished) {
            String name = nameOf(job.jobId());
            names.add(name);
            if (!done.contains(name)) {
                removeIfPresent(epoch, name, progress);
                write(epoch, name, encode.apply(job.facts().get()), progress);
                done.add(name);
            }
        }
        return names;
    }

    private void write(Epoch epoch, String name, List<byte[]> chunks, Runnable progress) throws Exception {
        String archive = path + "/" + name;
        FencedTxns txns = new FencedTxns(multi, epoch, txnBudgetBytes, opOverheadBytes, progress);
        txns.add(zk.transactionOp().create().forPath(archive, new byte[0]), 0);
        for (int i = 0; i < chunks.size(); i++) {
            byte[] data = chunks.get(i);
            txns.add(zk.transactionOp().create().forPath(String.format("%s/c-%06d", archive, i), data), data.length);
        }
        txns.add(zk.transactionOp().setData().forPath(archive, ZkCoordinatorStore.longBytes(chunks.size())), 8);
        txns.send();
    }

    /** Deletes the archives not in {@code keep}: run once the snapshot naming {@code keep} is in force. */
    void removeAllBut(Epoch epoch, Collection<String> keep, Runnable progress) throws Exception {
        Set<String> kept = new HashSet<>(keep);
        for (String name : zk.getChildren().forPath(path)) {
            if (!kept.contains(name)) {
                removeIfPresent(epoch, name, progress);
            }
        }
        complete().retainAll(kept);
    }

    private void removeIfPresent(Epoch epoch, String name, Runnable progress) throws Exception {
        String archive = path + "/" + name;
        List<String> children;
        try {
            children = zk.getChildren().forPath(archive);
        } catch (KeeperException.NoNodeException gone) {
            return;
        }
        List<CuratorOp> ops = new ArrayList<>();
        for (String child : children) {
            ops.add(zk.transactionOp().delete().forPath(archive + "/" + child));
            if (ops.size() == 500) {
                multi.run(epoch, ops);
                progress.run();
                ops.clear();
            }
        }
        ops.add(zk.transactionOp().delete().forPath(archive));
        multi.run(epoch, ops);
        progress.run();
    }

    /** The archives complete in ZooKeeper, read once (all reads in flight together) and then kept current. */
    private Set<String> complete() throws Exception {
        if (complete == null) {
            List<String> names = zk.getChildren().forPath(path);
            List<String> parents = new ArrayList<>(names.size());
            names.forEach(n -> parents.add(path + "/" + n));
            List<byte[]> data = ZkReads.all(zk, parents);
            complete = new HashSet<>();
            for (int i = 0; i < names.size(); i++) {
                if (data.get(i) != null && data.get(i).length == 8) {
                    complete.add(names.get(i));
                }
            }
        }
        return complete;
    }

    /** The chunk paths of the named archives, in order; an archive that is missing or incomplete is an error. */
    List<String> chunkPaths(List<String> names) throws Exception {
        List<String> parents = new ArrayList<>(names.size());
        names.forEach(n -> parents.add(path + "/" + n));
        List<byte[]> counts = ZkReads.all(zk, parents);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            byte[] count = counts.get(i);
            if (count == null || count.length != 8) {
                throw new IllegalStateException("the snapshot in force names the finished job archive " + parents.get(i)
                        + ", which is " + (count == null ? "missing" : "incomplete"));
            }
            long n = ByteBuffer.wrap(count).getLong();
            for (long c = 0; c < n; c++) {
                out.add(String.format("%s/c-%06d", parents.get(i), c));
            }
        }
        return out;
    }

    /** A manifest's chunks: names one per line, each chunk under {@code maxBytes}. */
    static List<byte[]> manifest(List<String> names, int maxBytes) {
        List<byte[]> out = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        for (String name : names) {
            if (chunk.length() > 0 && chunk.length() + name.length() + 1 > maxBytes) {
                out.add(chunk.toString().getBytes(StandardCharsets.UTF_8));
                chunk.setLength(0);
            }
            chunk.append(name).append('\n');
        }
        if (chunk.length() > 0) {
            out.add(chunk.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    static List<String> namesIn(byte[] manifestChunk) {
        List<String> out = new ArrayList<>();
        for (String line : new String(manifestChunk, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                out.add(line);
            }
        }
        return out;
    }
}
