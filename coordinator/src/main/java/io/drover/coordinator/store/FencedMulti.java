package io.drover.coordinator.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooKeeper;

/**
 * A fenced ZooKeeper multi: check(epoch version) + the given ops, sent once on the ZooKeeper handle
 * itself, for every leader write of both stores. Curator retries an operation after a connection
 * loss, and a multi whose first try was applied before the loss would be applied twice: a
 * sequential create appends its batch again, a plain create fails with NodeExists, a setData
 * withVersion fails with BadVersion (which reads like "fenced", so the leader would step down for
 * nothing). An unknown outcome goes to the caller instead, who knows how to resolve it: the fact log
 * fails the turn (the next leader reads what landed, once), an upload answers from its status.
 *
 * <p>Fenced means the epoch check itself failed (the first op's result), not some later op.
 */
final class FencedMulti {
    private final CuratorFramework zk;
    private final String epochPath;

    FencedMulti(CuratorFramework zk, String epochPath) {
        this.zk = zk;
        this.epochPath = epochPath;
    }

    /**
     * @throws FencedException when the epoch moved on
     * @throws KeeperException as ZooKeeper threw it when a later op failed (the check passed), or on
     *     a connection loss (outcome unknown)
     */
    List<OpResult> run(Epoch epoch, List<CuratorOp> ops) throws Exception {
        try {
            return handle().multi(fenced(epoch, ops));
        } catch (KeeperException e) {
            if (epochCheckFailed(e.getResults())) {
                throw new FencedException(epoch.value());
            }
            throw e;
        }
    }

    /**
     * The same in the background: ZooKeeper applies a session's requests in order, so multis land in
     * the order they were started. Fails with {@link FencedException}, or a {@link StoreException}
     * naming {@code what} for anything else.
     */
    CompletableFuture<Void> runAsync(Epoch epoch, List<CuratorOp> ops, String what) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        handle().multi(fenced(epoch, ops), (rc, path, ctx, results) -> {
            KeeperException.Code code = KeeperException.Code.get(rc);
            if (code == KeeperException.Code.OK) {
                done.complete(null);
            } else if (epochCheckFailed(results)) {
                done.completeExceptionally(new FencedException(epoch.value()));
            } else {
                done.completeExceptionally(new StoreException("ZooKeeper unavailable while " + what + ": " + code));
            }
        }, null);
        return done;
    }

    private List<org.apache.zookeeper.Op> fenced(Epoch epoch, List<CuratorOp> ops) throws Exception {
        List<org.apache.zookeeper.Op> txn = new ArrayList<>(ops.size() + 1);
        txn.add(zk.transactionOp().check().withVersion(epoch.zkVersion()).forPath(epochPath).get());
        for (CuratorOp op : ops) {
            txn.add(op.get());
        }
        return txn;
    }

    /** A failed multi reports each op's error; the check is first (BadVersion, or NoNode without an epoch). */
    private static boolean epochCheckFailed(List<OpResult> results) {
        return results != null && !results.isEmpty() && results.get(0) instanceof OpResult.ErrorResult error
                && error.getErr() != KeeperException.Code.OK.intValue();
    }

    private ZooKeeper handle() throws Exception {
        return zk.getZookeeperClient().getZooKeeper();
    }
}
