package io.drover.cli.server;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.coordinator.trust.ClusterTrust;
import io.drover.coordinator.zk.ZkCredential;
import io.drover.protocol.tls.TlsSettings;
import io.drover.security.SecretsDir;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@code drover coordinator} secures itself: from the cluster's secrets directory (TLS, tokens,
 * agent certificates, sealed secrets, ZooKeeper ACLs), or, with --insecure, not at all - said
 * loudly at start and every minute after. A development coordinator makes its secrets directory on
 * first start.
 */
abstract class CoordinatorSecurity {
    private static final Logger log = LoggerFactory.getLogger(CoordinatorSecurity.class);

    /** Configures {@code server} before it starts. */
    abstract void apply(CoordinatorServer server, CoordinatorConfig config, Optional<ZkCredential> zkAuthFile) throws IOException;

    static CoordinatorSecurity insecure() {
        return new CoordinatorSecurity() {
            @Override
            void apply(CoordinatorServer server, CoordinatorConfig config, Optional<ZkCredential> zkAuthFile) {
                zkAuthFile.ifPresent(server::zooKeeperCredential);
                Runnable warn = () -> log.warn("INSECURE: this coordinator runs with --insecure: plaintext on port {}, no "
                        + "tokens, no agent certificates; anyone who reaches it can run code on every agent. For local "
                        + "experiments only.", config.listenPort() == 0 ? "(any)" : config.listenPort());
                warn.run();
                ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "drover-insecure-warning");
                    t.setDaemon(true);
                    return t;
                });
                timer.scheduleAtFixedRate(warn, 1, 1, TimeUnit.MINUTES);
            }
        };
    }

    /**
     * @param create whether to make the directory when it does not exist yet (development mode)
     * @param tls    explicit --tls-cert/--tls-key replace the certificate issued from the CA
     */
    static CoordinatorSecurity secure(Path dir, boolean create, TlsFlags tls, Duration agentCertTtl) {
        if (!create && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("the secrets directory " + dir + " does not exist; make it once with "
                    + "'drover ca init --dir " + dir + "' and copy it to every coordinator");
        }
        return new CoordinatorSecurity() {
            @Override
            void apply(CoordinatorServer server, CoordinatorConfig config, Optional<ZkCredential> zkAuthFile) throws IOException {
                SecretsDir secrets = load(dir, create);
                ClusterTrust trust = new ClusterTrust(secrets);
                boolean explicit = tls.certFile != null || tls.keyFile != null || tls.caFile != null;
                TlsSettings serverTls = explicit ? tls.serverSettings() : trust.serverTls(hostNames(config));
                trust.secure(server, serverTls, zkAuthFile.orElseGet(trust::zooKeeperCredential), agentCertTtl,
                        Clock.systemUTC());
                log.info("secure: TLS 1.3, tokens and agent certificates from {} (cluster CA {})", dir,
                        io.drover.security.ClusterCa.fingerprint(secrets.ca().certificate()));
            }
        };
    }

    private static SecretsDir load(Path dir, boolean create) throws IOException {
        if (create && !Files.isRegularFile(dir.resolve(SecretsDir.CA_CERTIFICATE))) {
            Files.createDirectories(dir.getParent());
            SecretsDir made = SecretsDir.init(dir, "dev", Clock.systemUTC());
            log.info("made the development cluster's secrets in {}: its CA, and an admin token the CLI on this machine "
                    + "finds by itself", dir);
            return made;
        }
        return SecretsDir.load(dir);
    }

    /** The names clients and agents may use for this coordinator, for its certificate. */
    private static List<String> hostNames(CoordinatorConfig config) {
        List<String> names = new ArrayList<>(List.of(config.advertiseHost(), config.listenHost()));
        try {
            names.add(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            log.debug("no local host name for the certificate: {}", e.toString());
        }
        return names;
    }
}
