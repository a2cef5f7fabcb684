package io.drover.bench.cluster;

import io.drover.coordinator.zk.ZkCredential;
import io.drover.protocol.tls.ClientSecurity;
import io.drover.protocol.tls.TlsSettings;
import io.drover.sdk.Credentials;
import io.drover.security.IssuedCredentials;
import io.drover.security.Pem;
import io.drover.security.PrivateFiles;
import io.drover.security.Role;
import io.drover.security.SecretsDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a {@link ProcessCluster}'s processes and clients are secured: as production is (a secrets
 * directory, TLS, a join token for the agents, the admin token for clients), or not at all
 * ({@code --insecure} everywhere, the plaintext baseline).
 */
sealed interface ProcessSecurity {
    /** What the cluster's own processes must not inherit from the caller's shell: it decides them itself. */
    List<String> INHERITED_SETTINGS = List.of("DROVER_SECRETS_DIR", "DROVER_INSECURE", "DROVER_CA_FILE", "DROVER_TOKEN",
            "DROVER_TOKEN_FILE", "DROVER_JOIN_TOKEN", "DROVER_JOIN_TOKEN_FILE");

    /** The coordinator's security flags; {@code extraNames}: addresses beyond loopback its certificate must name. */
    List<String> coordinatorArgs(List<String> extraNames);

    List<String> agentArgs();

    /** Set in an agent's environment (the join token travels here, not on a command line others can read). */
    Map<String, String> agentEnvironment();

    Credentials credentials();

    ClientSecurity clientSecurity();

    /** What a {@code drover} CLI process needs in its environment to reach the cluster. */
    Map<String, String> cliEnvironment();

    /** The same as flags, for the CLI run in this JVM ({@code DroverCli.commandLine()}). */
    List<String> cliFlags();

    Optional<ZkCredential> zooKeeperCredential();

    /** Plaintext, no tokens, no certificates. */
    record Insecure() implements ProcessSecurity {
        @Override
        public List<String> coordinatorArgs(List<String> extraNames) {
            return List.of("--insecure");
        }

        @Override
        public List<String> agentArgs() {
            return List.of("--insecure");
        }

        @Override
        public Map<String, String> agentEnvironment() {
            return Map.of();
        }

        @Override
        public Credentials credentials() {
            return Credentials.insecure();
        }

        @Override
        public ClientSecurity clientSecurity() {
            return ClientSecurity.insecure();
        }

        @Override
        public Map<String, String> cliEnvironment() {
            return Map.of("DROVER_INSECURE", "1");
        }

        @Override
        public List<String> cliFlags() {
            return List.of("--insecure");
        }

        @Override
        public Optional<ZkCredential> zooKeeperCredential() {
            return Optional.empty();
        }
    }

    /**
     * The cluster's secrets directory; coordinators issue their own certificates from it unless the
     * cluster must be reached at other addresses too, agents join with one token that any number of
     * them may use (restarted agents reuse the certificate in their work dir), clients hold the admin token.
     */
    record Secure(SecretsDir secrets, String joinToken, String adminToken, ClientSecurity clientSecurity)
            implements ProcessSecurity {
        /** Long enough for any benchmark; an agent that joined once needs the token no more. */
        static final Duration JOIN_TOKEN_TTL = Duration.ofHours(2);
        static final String AGENT_SUBJECT = "process-cluster-agents";

        /** Makes the secrets directory {@code dir} (it must not exist or be empty). */
        static Secure init(Path dir) {
            try {
                SecretsDir secrets = SecretsDir.init(dir, "process-cluster", Clock.systemUTC());
                String join = secrets.tokens().create(Role.AGENT, AGENT_SUBJECT, Optional.empty(), JOIN_TOKEN_TTL, 0);
                String admin = Files.readString(secrets.adminTokenFile(), StandardCharsets.US_ASCII).strip();
                ClientSecurity client = ClientSecurity.of(TlsSettings.client(secrets.ca().certificate(),
                        secrets.caCertificateFile().toString()), admin);
                return new Secure(secrets, join, admin, client);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make the process cluster's secrets in " + dir + ": " + e.getMessage(), e);
            }
        }

        @Override
        public List<String> coordinatorArgs(List<String> extraNames) {
            List<String> args = new ArrayList<>(List.of("--secrets-dir", secrets.dir().toString()));
            if (!extraNames.isEmpty()) {
                // The coordinator's own certificate names loopback and its host name only.
                Path tls = serverCertificate(extraNames);
                args.addAll(List.of("--ca-file", secrets.caCertificateFile().toString(), "--tls-cert",
                        tls.resolve("server.pem").toString(), "--tls-key", tls.resolve("server.key").toString()));
            }
            return args;
        }

        @Override
        public List<String> agentArgs() {
            return List.of("--ca-file", secrets.caCertificateFile().toString());
        }

        @Override
        public Map<String, String> agentEnvironment() {
            return Map.of("DROVER_JOIN_TOKEN", joinToken);
        }

        @Override
        public Credentials credentials() {
            return Credentials.caFile(secrets.caCertificateFile()).withToken(adminToken);
        }

        @Override
        public Map<String, String> cliEnvironment() {
            return Map.of("DROVER_SECRETS_DIR", secrets.dir().toString());
        }

        @Override
        public List<String> cliFlags() {
            return List.of("--ca-file", secrets.caCertificateFile().toString(), "--token-file",
                    secrets.adminTokenFile().toString());
        }

        @Override
        public Optional<ZkCredential> zooKeeperCredential() {
            return Optional.of(ZkCredential.parse(secrets.zookeeperDigest()));
        }

        /** A server certificate naming loopback and {@code extraNames}, in a new private directory beside the secrets. */
        private Path serverCertificate(List<String> extraNames) {
            List<String> names = new ArrayList<>(List.of("127.0.0.1", "localhost"));
            names.addAll(extraNames);
            IssuedCredentials issued = secrets.ca().issueServer(names, Duration.ofDays(1));
            try {
                Path dir = Files.createTempDirectory(secrets.dir().getParent(), "coordinator-tls-");
                PrivateFiles.write(dir.resolve("server.pem"),
                        Pem.encodeCertificates(issued.chain()).getBytes(StandardCharsets.US_ASCII));
                PrivateFiles.write(dir.resolve("server.key"),
                        Pem.encodePrivateKey(issued.keyPair().getPrivate()).getBytes(StandardCharsets.US_ASCII));
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write a coordinator certificate naming " + names + ": " + e.getMessage(), e);
            }
        }
    }
}
