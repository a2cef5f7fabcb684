package io.drover.coordinator.store;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Counts the znodes under the log and snapshot roots and sums their data lengths from their
 * {@link Stat}s (no data is read). One round trip per znode: run it off the hot path, cached.
 */
final class ZkFactLogSize {
    private final CuratorFramework zk;

    ZkFactLogSize(CuratorFramework zk) {
        this.zk = zk;
    }

    StoreSizes.FactLog measure(String... roots) {
        long[] total = new long[2];
        try {
            for (String root : roots) {
                add(root, total);
            }
        } catch (Exception e) {
            throw ZkCoordinatorStore.unavailable("measuring the fact log", e);
        }
        return new StoreSizes.FactLog(total[0], total[1]);
    }

    private void add(String parent, long[] total) throws Exception {
        java.util.List<String> children;
        try {
            children = zk.getChildren().forPath(parent);
        } catch (KeeperException.NoNodeException gone) {
            return;
        }
        for (String child : children) {
            String path = parent + "/" + child;
            Stat stat = zk.checkExists().forPath(path);
            if (stat == null) {
                continue; // compacted away meanwhile
            }
            total[0]++;
            total[1] += stat.getDataLength();
            if (stat.getNumChildren() > 0) {
                add(path, total); // snapshot chunks
            }
        }
    }
}
