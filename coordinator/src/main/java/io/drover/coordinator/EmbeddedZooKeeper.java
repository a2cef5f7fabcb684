package io.drover.coordinator;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A single ZooKeeper server inside this process, for `drover demo` and dev mode only. Production
 * uses an external ensemble. Data lives in {@code dataDir} and survives a restart on it.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
    private final ZooKeeperServerEmbedded server;

    public EmbeddedZooKeeper(Path dataDir, int port) {
        Properties p = new Properties();
        p.setProperty("clientPort", Integer.toString(port));
        p.setProperty("clientPortAddress", "127.0.0.1");
        p.setProperty("admin.enableServer", "false");
        p.setProperty("maxCnxns", "10000");
        p.setProperty("tickTime", "200"); // session expiry is rounded up to a tick: a dead leader is noticed sooner
        p.setProperty("initLimit", "10");
        p.setProperty("syncLimit", "5");
        p.setProperty("maxSessionTimeout", "60000");
        p.setProperty("4lw.commands.whitelist", "ruok,stat");
        try {
            java.nio.file.Files.createDirectories(dataDir);
            server = ZooKeeperServerEmbedded.builder().baseDir(dataDir).configuration(p)
                    .exitHandler(org.apache.zookeeper.server.embedded.ExitHandler.LOG_ONLY).build();
            server.start(30_000);
        } catch (Exception e) {
            throw new IllegalStateException("embedded ZooKeeper failed to start in " + dataDir + ": " + e, e);
        }
    }

    public String connectString() {
        try {
            return server.getConnectionString();
        } catch (Exception e) {
            throw new IllegalStateException("embedded ZooKeeper has no client address", e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
