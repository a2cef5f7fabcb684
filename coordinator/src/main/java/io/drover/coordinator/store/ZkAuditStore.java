package io.drover.coordinator.store;

import io.drover.coordinator.auth.AuditRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AuditStore} on ZooKeeper, one sequential znode per entry:
 * <pre>
 * {root}/audit/e-{atMs, 13 digits}-{sequence, 10 digits}
 * </pre>
 * The time in the name lets a read pick entries without fetching them; the sequence is the order
 * they were written in. Appends are fenced multis (check(epoch) + creates), like the fact log. Once
 * in every {@link #TRIM_EVERY} appends (and at a leader's first), the oldest entries beyond
 * {@code keep} are deleted, fenced too, so the log stays bounded across leaders.
 */
public final class ZkAuditStore implements AuditStore {
    private static final Logger log = LoggerFactory.getLogger(ZkAuditStore.class);
    public static final int DEFAULT_KEEP = 10_000;
    static final int TRIM_EVERY = 500;
    /** Creates or deletes per multi: well inside ZooKeeper's 1 MiB packet with 1,000-char fields. */
    private static final int OPS_PER_MULTI = 100;
    private static final long READ_TIMEOUT_SECONDS = 30;

    private final CuratorFramework zk;
    private final String path;
    private final FencedMulti multi;
    private final int keep;
    /** Appends since the last trim; written by the one appending thread (the audit writer). */
    private int sinceTrim = TRIM_EVERY;

    public ZkAuditStore(CuratorFramework zk, String root) {
        this(zk, root, DEFAULT_KEEP);
    }

    /** @param keep how many of the newest entries survive a trim */
    public ZkAuditStore(CuratorFramework zk, String root, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be >= 1, was " + keep);
        }
        this.zk = zk;
        this.path = root + "/audit";
        this.multi = new FencedMulti(zk, root + "/epoch");
        this.keep = keep;
    }

    @Override
    public void append(Epoch epoch, List<AuditRecord> records) {
        try {
            ensureParent();
            for (int from = 0; from < records.size(); from += OPS_PER_MULTI) {
                List<CuratorOp> ops = new ArrayList<>();
                for (AuditRecord r : records.subList(from, Math.min(records.size(), from + OPS_PER_MULTI))) {
                    ops.add(zk.transactionOp().create().withMode(CreateMode.PERSISTENT_SEQUENTIAL)
                            .forPath(path + "/" + String.format("e-%013d-", r.atMs()), AuditCodec.encode(r)));
                }
                multi.run(epoch, ops);
            }
            sinceTrim += records.size();
            if (sinceTrim >= TRIM_EVERY) {
                sinceTrim = 0;
                trim(epoch);
            }
        } catch (StoreException e) {
            throw e;
        } catch (Exception e) {
            throw ZkCoordinatorStore.unavailable("writing the audit log", e);
        }
    }

    @Override
    public List<AuditRecord> read(long sinceMs, int limit) {
        try {
            List<Name> picked = names().stream().filter(n -> n.atMs() >= sinceMs).limit(Math.max(0, limit)).toList();
            List<CompletableFuture<byte[]>> reads = new ArrayList<>(picked.size());
            for (Name n : picked) {
                reads.add(readInBackground(path + "/" + n.name()));
            }
            List<AuditRecord> out = new ArrayList<>(picked.size());
            for (int i = 0; i < picked.size(); i++) {
                byte[] data = await(reads.get(i));
                if (data != null) { // null: trimmed between the listing and the read
                    out.add(AuditCodec.decode(picked.get(i).name(), data));
                }
            }
            return out;
        } catch (StoreException e) {
            throw e;
        } catch (Exception e) {
            throw ZkCoordinatorStore.unavailable("reading the audit log", e);
        }
    }

    /** Deletes the oldest entries beyond {@code keep}. */
    private void trim(Epoch epoch) throws Exception {
        List<Name> names = names();
        int excess = names.size() - keep;
        if (excess <= 0) {
            return;
        }
        for (int from = 0; from < excess; from += OPS_PER_MULTI) {
            List<CuratorOp> ops = new ArrayList<>();
            for (Name n : names.subList(from, Math.min(excess, from + OPS_PER_MULTI))) {
                ops.add(zk.transactionOp().delete().forPath(path + "/" + n.name()));
            }
            multi.run(epoch, ops);
        }
        log.info("audit log trimmed: {} oldest entries removed, {} kept", excess, keep);
    }

    /** Every entry's name, oldest written first. */
    private List<Name> names() throws Exception {
        List<String> children;
        try {
            children = zk.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return List.of(); // nothing audited yet in this cluster
        }
        List<Name> names = new ArrayList<>(children.size());
        for (String c : children) {
            Name.parse(c).ifPresentOrElse(names::add, () -> log.warn("ignoring {}/{}: not an audit entry", path, c));
        }
        names.sort(Comparator.comparingLong(Name::sequence));
        return names;
    }

    private void ensureParent() throws Exception {
        if (zk.checkExists().forPath(path) == null) {
            try {
                zk.create().creatingParentsIfNeeded().forPath(path, new byte[0]);
            } catch (KeeperException.NodeExistsException raced) {
                log.trace("{} created concurrently", path);
            }
        }
    }

    private CompletableFuture<byte[]> readInBackground(String p) throws Exception {
        CompletableFuture<byte[]> read = new CompletableFuture<>();
        zk.getData().inBackground((client, event) -> {
            int rc = event.getResultCode();
            if (rc == KeeperException.Code.OK.intValue()) {
                read.complete(event.getData());
            } else if (rc == KeeperException.Code.NONODE.intValue()) {
                read.complete(null);
            } else {
                read.completeExceptionally(KeeperException.create(KeeperException.Code.get(rc), p));
            }
        }).forPath(p);
        return read;
    }

    private static byte[] await(CompletableFuture<byte[]> read) throws Exception {
        try {
            return read.get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new StoreException("ZooKeeper did not answer a read of the audit log within " + READ_TIMEOUT_SECONDS + " s", e);
        }
    }

    /** "e-0001733530000000-0000000042". */
    private record Name(String name, long atMs, long sequence) {
        static java.util.Optional<Name> parse(String name) {
            String[] parts = name.split("-");
            if (parts.length != 3 || !parts[0].equals("e")) {
                return java.util.Optional.empty();
            }
            try {
                return java.util.Optional.of(new Name(name, Long.parseLong(parts[1]), Long.parseLong(parts[2])));
            } catch (NumberFormatException e) {
                return java.util.Optional.empty();
            }
        }
    }
}
