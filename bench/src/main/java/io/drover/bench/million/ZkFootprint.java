package io.drover.bench.million;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * What Drover keeps in ZooKeeper: znodes and data bytes under the cluster root (from their
 * {@link Stat}s, no data read), and the size of the server's newest snapshot file on disk.
 */
final class ZkFootprint {
    record Size(long znodes, long dataBytes) {
    }

    private ZkFootprint() {
    }

    static Size under(CuratorFramework zk, String root) {
        long[] total = new long[2];
        try {
            add(zk, root, total);
        } catch (Exception e) {
            throw new IllegalStateException("cannot measure " + root + " in ZooKeeper: " + e, e);
        }
        return new Size(total[0], total[1]);
    }

    private static void add(CuratorFramework zk, String path, long[] total) throws Exception {
        Stat stat = zk.checkExists().forPath(path);
        if (stat == null) {
            return; // removed meanwhile (compaction)
        }
        total[0]++;
        total[1] += stat.getDataLength();
        if (stat.getNumChildren() == 0) {
            return;
        }
        List<String> children;
        try {
            children = zk.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException gone) {
            return;
        }
        for (String child : children) {
            add(zk, path + "/" + child, total);
        }
    }

    /** Bytes of the newest snapshot file of an embedded server whose data directory is {@code dataDir}, or -1. */
    static long newestSnapshotBytes(Path dataDir) {
        if (!Files.isDirectory(dataDir)) {
            return -1;
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("snapshot."))
                    .max((a, b) -> Long.compare(mtime(a), mtime(b))).map(ZkFootprint::size).orElse(-1L);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0; // ZooKeeper removed this old snapshot while we listed them: it is not the newest one
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }
}
