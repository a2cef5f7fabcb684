package io.drover.coordinator.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Reads many znodes with all requests in flight at once: ZooKeeper answers them in order on the one
 * connection, so a new leader pays about one round trip for the whole log instead of one per batch
 * (858 facts in ~600 batches took 670 ms one by one).
 */
final class ZkReads {
    /** How long reading one znode may take while recovering (the session would expire first). */
    private static final long READ_TIMEOUT_SECONDS = 60;

    private ZkReads() {
    }

    /** The znodes' data in order; null for one that does not exist. */
    static List<byte[]> all(CuratorFramework zk, List<String> paths) throws Exception {
        List<CompletableFuture<byte[]>> reads = new ArrayList<>(paths.size());
        for (String path : paths) {
            CompletableFuture<byte[]> read = new CompletableFuture<>();
            zk.getData().inBackground((client, event) -> {
                if (event.getResultCode() == KeeperException.Code.OK.intValue()) {
                    read.complete(event.getData());
                } else if (event.getResultCode() == KeeperException.Code.NONODE.intValue()) {
                    read.complete(null);
                } else {
                    read.completeExceptionally(KeeperException.create(KeeperException.Code.get(event.getResultCode()), path));
                }
            }).forPath(path);
            reads.add(read);
        }
        List<byte[]> out = new ArrayList<>(paths.size());
        for (CompletableFuture<byte[]> read : reads) {
            try {
                out.add(read.get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
        return out;
    }

    /** {@link #all}, where every znode must exist. */
    static List<byte[]> existing(CuratorFramework zk, List<String> paths) throws Exception {
        List<byte[]> out = all(zk, paths);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i) == null) {
                throw KeeperException.create(KeeperException.Code.NONODE, paths.get(i));
            }
        }
        return out;
    }
}
