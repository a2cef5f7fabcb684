package io.drover.coordinator.zk;

import io.drover.coordinator.sweep.StoreSweeper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the znodes of a cluster created before coordinators had a credential (an upgrade) the
 * digest ACL: the leader walks the cluster root once, then leaves a marker so later terms skip
 * the walk. Znodes created since carry the ACL already ({@link DigestAcl}).
 */
public final class AclUpgrade {
    private static final Logger log = LoggerFactory.getLogger(AclUpgrade.class);
    static final String MARKER = "/acl-digest-v1";

    private final CuratorFramework zk;
    private final String root;
    private final List<ACL> acl;

    public AclUpgrade(CuratorFramework zk, String root, ZkCredential credential) {
        this.zk = zk;
        this.root = root;
        this.acl = new DigestAcl(credential).acl();
    }

    /** Runs the walk (if not done yet) when a leadership term starts, before the term's own sweeper. */
    public StoreSweeper.Factory before(StoreSweeper.Factory next) {
        return (name, loop, epoch) -> {
            try {
                ensure();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the term is ending; the next one walks again
            } catch (Exception e) { // the term goes on; the next term walks again (no marker was written)
                log.error("could not set the coordinators' ACL on the existing znodes under {} ({}); some may stay "
                        + "readable without the credential until a later leader retries", root, e.toString(), e);
            }
            return next.start(name, loop, epoch);
        };
    }

    /**
     * Sets the ACL on every znode under the root that does not carry it yet.
     *
     * @return how many znodes changed; 0 when the marker says the walk was done
     */
    public int ensure() throws Exception {
        if (zk.checkExists().forPath(root + MARKER) != null) {
            return 0;
        }
        long started = System.nanoTime();
        int changed = 0;
        int seen = 0;
        Deque<String> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            String path = todo.pop();
            try {
                if (!acl.equals(zk.getACL().forPath(path))) {
                    zk.setACL().withACL(acl).forPath(path);
                    changed++;
                }
                seen++;
                for (String child : zk.getChildren().forPath(path)) {
                    todo.push(path + "/" + child);
                }
            } catch (KeeperException.NoNodeException e) {
                log.debug("{} went away during the ACL walk", path); // deleted meanwhile: nothing to protect
            }
        }
        try {
            zk.create().creatingParentsIfNeeded().forPath(root + MARKER, "digest ACL set on every znode".getBytes(StandardCharsets.UTF_8));
        } catch (KeeperException.NodeExistsException e) {
            log.debug("another leader marked the ACL walk done first");
        }
        log.info("ZooKeeper ACL: {} of {} znodes under {} now grant access to the coordinators' credential only "
                + "(took {} ms; done once per cluster)", changed, seen, root, (System.nanoTime() - started) / 1_000_000);
        return changed;
    }
}
