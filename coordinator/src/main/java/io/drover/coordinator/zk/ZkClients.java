package io.drover.coordinator.zk;

import java.time.Duration;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a coordinator builds its ZooKeeper client: digest authentication and an ACL for
 * that identity alone on every znode it creates when a credential is given; open ACLs (and a
 * WARN) when not, as before issue 13.
 */
public final class ZkClients {
    private static final Logger log = LoggerFactory.getLogger(ZkClients.class);

    private ZkClients() {
    }

    /** A client not yet started. */
    public static CuratorFramework create(String connect, Duration sessionTimeout, Optional<ZkCredential> credential) {
        int sessionMs = (int) sessionTimeout.toMillis();
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(connect)
                .sessionTimeoutMs(sessionMs)
                .connectionTimeoutMs(Math.min(sessionMs, 15_000))
                .retryPolicy(new ExponentialBackoffRetry(100, 5, 2_000));
        if (credential.isPresent()) {
            builder.authorization("digest", credential.get().authBytes()).aclProvider(new DigestAcl(credential.get()));
        } else {
            log.warn("no ZooKeeper credential configured (--zk-auth-file): the cluster's znodes are open to anyone "
                    + "who can reach ZooKeeper {}, job definitions and agent records included", connect);
        }
        return builder.build();
    }
}
