package io.drover.coordinator.store;

import io.drover.protocol.WireLimits;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Artifacts in ZooKeeper: a metadata znode (size, bytes received, complete flag) with one child
 * per chunk of {@link WireLimits#ARTIFACT_CHUNK_BYTES}. Job jars are small; the size is capped by
 * configuration. A chunk's index is its offset divided by the chunk size, so reads need no index.
 */
final class ZkArtifactStore implements ArtifactStore {
    static final int CHUNK = WireLimits.ARTIFACT_CHUNK_BYTES;
    private final CuratorFramework zk;
    private final String root;
    private final FencedMulti multi;

    ZkArtifactStore(CuratorFramework zk, String root, FencedMulti multi) {
        this.zk = zk;
        this.root = root;
        this.multi = multi;
    }

    @Override
    public Optional<Status> status(String sha256) {
        try {
            return Optional.of(decode(sha256, zk.getData().forPath(path(sha256))));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw ZkCoordinatorStore.unavailable("reading artifact " + sha256, e);
        }
    }

    @Override
    public List<Stored> list() {
        try {
            List<Stored> out = new ArrayList<>();
            for (String sha : zk.getChildren().forPath(root)) {
                Stat stat = new Stat();
                try {
                    Status s = decode(sha, zk.getData().storingStatIn(stat).forPath(path(sha)));
                    out.add(new Stored(s, stat.getMtime(), stat.getVersion()));
                } catch (KeeperException.NoNodeException gone) {
                    // removed between the listing and the read
                }
            }
            return out;
        } catch (Exception e) {
            throw ZkCoordinatorStore.unavailable("listing artifacts", e);
        }
    }

    @Override
    public boolean delete(Epoch epoch, Stored seen) {
        String sha = seen.status().sha256();
        try {
            List<CuratorOp> ops = new ArrayList<>();
            // The chunks as they are now; the version check below fails if one was added since.
            for (String chunk : zk.getChildren().forPath(path(sha))) {
                ops.add(zk.transactionOp().delete().forPath(path(sha) + "/" + chunk));
            }
            ops.add(zk.transactionOp().delete().withVersion(seen.version()).forPath(path(sha)));
            multi.run(epoch, ops);
            return true;
        } catch (StoreException e) {
            throw e;
        } catch (KeeperException.NoNodeException | KeeperException.NotEmptyException | KeeperException.BadVersionException e) {
            return false; // changed since it was seen: not garbage after all, or already gone
        } catch (Exception e) {
            throw ZkCoordinatorStore.unavailable("removing artifact " + sha, e);
        }
    }

    @Override
    public Status begin(Epoch epoch, String sha256, long size) {
        Stat stat = new Stat();
        Optional<Status> existing;
        try {
            existing = Optional.of(decode(sha256, zk.getData().storingStatIn(stat).forPath(path(sha256))));
        } catch (KeeperException.NoNodeException e) {
            existing = Optional.empty();
        } catch (Exception e) {
            throw ZkCoordinatorStore.unavailable("reading artifact " + sha256, e);
        }
        if (existing.isPresent()) {
            if (existing.get().size() != size) {
                throw new IllegalArgumentException("artifact " + sha256 + " is already known with size "
                        + existing.get().size() + ", not " + size);
            }
            if (touch(epoch, sha256, stat.getVersion(), existing.get())) {
                return existing.get();
            }
        }
        Status fresh = new Status(sha256, size, 0, false);
        try {
            multi.run(epoch, List.of(zk.transactionOp().create().forPath(path(sha256), encode(fresh))));
            return fresh;
        } catch (StoreException e) {
            throw e;
        } catch (KeeperException.NodeExistsException e) {
            return status(sha256).orElseThrow();
        } catch (Exception e) {
            throw ZkCoordinatorStore.unavailable("starting upload of " + sha256, e);
        }
    }

    /**
     * Rewrites the metadata unchanged: its mtime restarts the sweep's clock. Losing to a concurrent
     * chunk is harmless (that touched it too).
     *
     * @return false when the sweep removed the artifact meanwhile (the caller starts afresh)
     */
    private boolean touch(Epoch epoch, String sha256, int version, Status s) {
        try {
            multi.run(epoch, List.of(zk.transactionOp().setData().withVersion(version).forPath(path(sha256), encode(s))));
            return true;
        } catch (StoreException e) {
            throw e;
        } catch (KeeperException.NoNodeException e) {
            return false;
        } catch (KeeperException.BadVersionException e) {
            return true;
        } catch (Exception e) {
            throw ZkCoordinatorStore.unavailable("touching artifact " + sha256, e);
        }
    }

    @Override
    public Status append(Epoch epoch, String sha256, long offset, byte[] data) {
        try {
            Stat stat = new Stat();
            Status s = decode(sha256, zk.getData().storingStatIn(stat).forPath(path(sha256)));
            if (s.complete()) {
                return s;
            }
            if (offset < s.bytesReceived() && isStored(sha256, offset, data)) {
                // A resend after an unknown outcome (the connection was lost mid-append): it landed.
                return s.bytesReceived() == s.size() ? verify(epoch, s) : s;
            }
            if (offset != s.bytesReceived()) {
                throw new IllegalArgumentException("chunk offset " + offset + " but " + s.bytesReceived()
                        + " bytes of " + sha256 + " received so far");
            }
            long end = offset + data.length;
            if (end > s.size() || (data.length != CHUNK && end != s.size()) || data.length == 0) {
                throw new IllegalArgumentException("chunk of " + data.length + " bytes at " + offset
                        + " does not fit artifact of " + s.size() + " bytes in " + CHUNK + "-byte chunks");
            }
            Status next = new Status(sha256, s.size(), end, false);
            try {
                multi.run(epoch, List.of(zk.transactionOp().create().forPath(chunkPath(sha256, offset / CHUNK), data),
                        zk.transactionOp().setData().withVersion(stat.getVersion()).forPath(path(sha256), encode(next))));
            } catch (KeeperException.NodeExistsException | KeeperException.BadVersionException e) {
                // Another append got there first: fine if it stored this very chunk (a duplicate send).
                Optional<Status> now = status(sha256);
                if (now.isPresent() && now.get().bytesReceived() >= end && isStored(sha256, offset, data)) {
                    return now.get();
                }
                throw new IllegalArgumentException("concurrent upload of " + sha256 + "; resume from its status");
            }
            if (end < s.size()) {
                return next;
            }
            return verify(epoch, next);
        } catch (IllegalArgumentException | StoreException e) {
            throw e;
        } catch (KeeperException.NoNodeException e) {
            throw new IllegalArgumentException("no upload of " + sha256 + " was begun");
        } catch (Exception e) {
            throw ZkCoordinatorStore.unavailable("storing a chunk of " + sha256, e);
        }
    }

    /** Whether the chunk at {@code offset} holds exactly {@code data}: one read of at most a chunk. */
    private boolean isStored(String sha256, long offset, byte[] data) throws Exception {
        if (offset % CHUNK != 0) {
            return false;
        }
        try {
            return Arrays.equals(zk.getData().forPath(chunkPath(sha256, offset / CHUNK)), data);
        } catch (KeeperException.NoNodeException e) {
            return false;
        }
    }

    private Status verify(Epoch epoch, Status s) throws Exception {
        MessageDigest digest = sha256();
        for (long off = 0; off < s.size(); off += CHUNK) {
            digest.update(zk.getData().forPath(chunkPath(s.sha256(), off / CHUNK)));
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(s.sha256())) {
            zk.delete().deletingChildrenIfNeeded().forPath(path(s.sha256()));
            throw new IllegalArgumentException("artifact hash mismatch: declared " + s.sha256() + " but the bytes hash to "
                    + actual + "; the upload was discarded");
        }
        Status done = new Status(s.sha256(), s.size(), s.size(), true);
        multi.run(epoch, List.of(zk.transactionOp().setData().forPath(path(s.sha256()), encode(done))));
        return done;
    }

    @Override
    public byte[] read(String sha256, long offset, int maxBytes) {
        Status s = status(sha256).filter(Status::complete)
                .orElseThrow(() -> new IllegalArgumentException("unknown artifact " + sha256));
        if (offset < 0 || offset >= s.size()) {
            throw new IllegalArgumentException("offset " + offset + " outside artifact of " + s.size() + " bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long pos = offset;
        try {
            while (out.size() < maxBytes && pos < s.size()) {
                byte[] chunk = zk.getData().forPath(chunkPath(sha256, pos / CHUNK));
                int from = (int) (pos % CHUNK);
                int len = Math.min(chunk.length - from, maxBytes - out.size());
                out.write(chunk, from, len);
                pos += len;
            }
        } catch (Exception e) {
            throw ZkCoordinatorStore.unavailable("reading artifact " + sha256, e);
        }
        return out.toByteArray();
    }

    private String path(String sha256) {
        return root + "/" + sha256;
    }

    private String chunkPath(String sha256, long index) {
        return String.format("%s/%s/c-%08d", root, sha256, index);
    }

    private static byte[] encode(Status s) {
        return ByteBuffer.allocate(17).putLong(s.size()).putLong(s.bytesReceived()).put((byte) (s.complete() ? 1 : 0)).array();
    }

    private static Status decode(String sha256, byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data);
        return new Status(sha256, b.getLong(), b.getLong(), b.get() == 1);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }
}
