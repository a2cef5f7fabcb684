package io.drover.systemtest;

import io.drover.bench.cluster.ProcessCluster;
import io.drover.cli.demo.Directories;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Per test: a temp directory, a 3-server ZooKeeper ensemble, a secure process cluster on it (3 s
 * sessions; the test starts its coordinators and agents) and an auditor: a ZooKeeper client with the
 * coordinators' credential, which alone may read their znodes. All closed and deleted after the test.
 * When the test fails, the processes' logs are kept first (see {@link FailedGridLogs}).
 * Register with {@code @RegisterExtension final ProcessGrid grid = new ProcessGrid("drover-x-");}.
 */
final class ProcessGrid implements BeforeEachCallback, AfterEachCallback {
    private final String dirPrefix;
    private Path dir;
    private TestingCluster zk;
    private ProcessCluster cluster;
    private CuratorFramework auditor;

    ProcessGrid(String dirPrefix) {
        this.dirPrefix = dirPrefix;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory(dirPrefix);
        zk = new TestingCluster(3);
        zk.start();
        cluster = new ProcessCluster(zk.getConnectString(), dir, "3s");
        auditor = cluster.zooKeeperClient();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (context.getExecutionException().isPresent()) {
            FailedGridLogs.keep(context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName(),
                    cluster);
        }
        cluster.close();
        auditor.close();
        zk.close();
        Directories.deleteTree(dir);
    }

    Path dir() {
        return dir;
    }

    ProcessCluster cluster() {
        return cluster;
    }

    CuratorFramework auditor() {
        return auditor;
    }
}
