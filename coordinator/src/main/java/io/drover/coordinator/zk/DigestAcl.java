package io.drover.coordinator.zk;

import java.util.List;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;

/** Every znode a coordinator creates grants everything to the coordinators' digest identity, nothing to anyone else. */
final class DigestAcl implements ACLProvider {
    private final List<ACL> acl;

    DigestAcl(ZkCredential credential) {
        // Not List.of: ZooKeeper's validateACL asks contains(null), which immutable lists refuse with an NPE.
        this.acl = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(
                List.of(new ACL(ZooDefs.Perms.ALL, new Id("digest", credential.digestId())))));
    }

    List<ACL> acl() {
        return acl;
    }

    @Override
    public List<ACL> getDefaultAcl() {
        return acl;
    }

    @Override
    public List<ACL> getAclForPath(String path) {
        return acl;
    }
}
