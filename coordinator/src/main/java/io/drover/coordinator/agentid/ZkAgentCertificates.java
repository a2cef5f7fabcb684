package io.drover.coordinator.agentid;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Agents' certificates as durable facts on ZooKeeper, under {@code <root>/agents}:
 * {@code certificates/<agentId>} (a {@link CertificateRecord}), {@code join-token-uses/<tokenId>}
 * (how many joins a token paid for) and {@code revoked/<serialHex>} (the agent id).
 *
 * <p>Every change is a compare-and-set on znode versions, so two coordinators (a deposed leader and
 * its successor) cannot both spend a token's last use or both hand out an agent id. Revoked serials
 * are watched by every coordinator ({@link CuratorCache}), so a new leader refuses them from its
 * first call. Blocking: call it off the Thrift threads.
 */
public final class ZkAgentCertificates implements AutoCloseable {
    /** A znode's content with the version a compare-and-set expects (-1: absent, create it). */
    record Versioned<T>(Optional<T> value, int version) {
    }

    private final CuratorFramework zk;
    private final String certificates;
    private final String tokenUses;
    private final String revoked;
    private final Set<BigInteger> revokedSerials = ConcurrentHashMap.newKeySet();
    private final CuratorCache revokedCache;

    public ZkAgentCertificates(CuratorFramework zk, String root) {
        this.zk = zk;
        this.certificates = root + "/agents/certificates";
        this.tokenUses = root + "/agents/join-token-uses";
        this.revoked = root + "/agents/revoked";
        this.revokedCache = CuratorCache.build(zk, revoked);
        revokedCache.listenable().addListener(CuratorCacheListener.builder()
                .forCreates(node -> serialOf(node.getPath()).ifPresent(revokedSerials::add))
                .forInitialized(() -> { })
                .build());
    }

    /** Creates the parent znodes and starts watching revocations. */
    public ZkAgentCertificates start() {
        try {
            for (String path : List.of(certificates, tokenUses, revoked)) {
                if (zk.checkExists().forPath(path) == null) {
                    try {
                        zk.create().creatingParentsIfNeeded().forPath(path);
                    } catch (KeeperException.NodeExistsException raced) {
                        // another coordinator made it first: fine
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare " + certificates + " on ZooKeeper: " + e, e);
        }
        revokedCache.start();
        return this;
    }

    public boolean isRevoked(BigInteger serial) {
        return revokedSerials.contains(serial);
    }

    Versioned<CertificateRecord> holder(String agentId) throws Exception {
        return read(certificates + "/" + agentId, CertificateRecord::decode);
    }

    Versioned<Integer> tokenUses(String tokenId) throws Exception {
        return read(tokenUses + "/" + tokenId, data -> Integer.parseInt(new String(data, StandardCharsets.UTF_8)));
    }

    /**
     * Records a join in one transaction: the token's use count and the agent id's holder, both
     * compare-and-set against the versions read. False when either changed meanwhile.
     */
    boolean recordJoin(String tokenId, Versioned<Integer> uses, String agentId, Versioned<CertificateRecord> held,
                       CertificateRecord now) throws Exception {
        int spent = uses.value().orElse(0) + 1;
        CuratorOp useOp = write(tokenUses + "/" + tokenId, uses.version(),
                Integer.toString(spent).getBytes(StandardCharsets.UTF_8));
        CuratorOp holderOp = write(certificates + "/" + agentId, held.version(), now.encode());
        return commit(List.of(useOp, holderOp));
    }

    /** Records a renewal: the holder compare-and-set against the version read. */
    boolean recordRenewal(String agentId, Versioned<CertificateRecord> held, CertificateRecord now) throws Exception {
        return commit(List.of(write(certificates + "/" + agentId, held.version(), now.encode())));
    }

    /** Revokes every serial of {@code record} (the id's certificates) and frees the id for a new join. */
    void revoke(String agentId, Versioned<CertificateRecord> held) throws Exception {
        for (CertificateRecord.Serial s : held.value().map(CertificateRecord::serials).orElse(List.of())) {
            try {
                zk.create().forPath(revoked + "/" + s.serial().toString(16), agentId.getBytes(StandardCharsets.UTF_8));
            } catch (KeeperException.NodeExistsException already) {
                // revoked before: the same fact
            }
            revokedSerials.add(s.serial());
        }
    }

    private CuratorOp write(String path, int version, byte[] data) throws Exception {
        return version < 0 ? zk.transactionOp().create().forPath(path, data)
                : zk.transactionOp().setData().withVersion(version).forPath(path, data);
    }

    private boolean commit(List<CuratorOp> ops) throws Exception {
        try {
            zk.transaction().forOperations(ops);
            return true;
        } catch (KeeperException.BadVersionException | KeeperException.NodeExistsException | KeeperException.NoNodeException e) {
            return false; // another coordinator changed it first: the caller reads again
        }
    }

    private <T> Versioned<T> read(String path, java.util.function.Function<byte[], T> decode) throws Exception {
        Stat stat = new Stat();
        try {
            byte[] data = zk.getData().storingStatIn(stat).forPath(path);
            return new Versioned<>(Optional.of(decode.apply(data)), stat.getVersion());
        } catch (KeeperException.NoNodeException e) {
            return new Versioned<>(Optional.empty(), -1);
        }
    }

    private static Optional<BigInteger> serialOf(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        try {
            return Optional.of(new BigInteger(name, 16));
        } catch (NumberFormatException e) {
            return Optional.empty(); // the parent znode itself
        }
    }

    @Override
    public void close() {
        revokedCache.close();
    }
}
