package io.drover.cli.server;

import io.drover.agent.AgentConfig;
import io.drover.agent.identity.CaPin;
import io.drover.agent.identity.CertificateRenewer;
import io.drover.agent.identity.EnrollmentRefusedException;
import io.drover.agent.identity.IdentityStore;
import io.drover.agent.identity.StoredIdentity;
import io.drover.cli.options.DevDirectories;
import io.drover.security.Role;
import io.drover.security.SecretsDir;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.drover.protocol.tls.ClientSecurity;
import io.drover.protocol.tls.Pem;
import io.drover.protocol.tls.TlsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How an agent's connections are secured, from its flags: plaintext (--insecure), a certificate
 * provisioned by hand (--tls-cert/--tls-key), or - the default - the certificate it got by joining
 * with a join token and renews by itself (on a machine with this user's development cluster, the
 * agent makes its own join token from that cluster's secrets). Connections read the settings at each new socket, so a
 * renewed certificate is used from the next connection on; open connections and running tasks are
 * left alone.
 */
final class AgentSecurity implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentSecurity.class);
    private final ClientSecurity security;
    private final Optional<CertificateRenewer> renewer;

    private AgentSecurity(ClientSecurity security, Optional<CertificateRenewer> renewer) {
        this.security = security;
        this.renewer = renewer;
    }

    ClientSecurity security() {
        return security;
    }

    @Override
    public void close() {
        renewer.ifPresent(CertificateRenewer::close);
    }

    /**
     * @throws EnrollmentRefusedException the join was refused (the message says what to do)
     * @throws IllegalArgumentException the flags do not go together
     */
    static AgentSecurity establish(AgentConfig config, TlsFlags tls, JoinFlags join) throws EnrollmentRefusedException {
        if (tls.insecure) {
            if (join.wanted()) {
                throw new IllegalArgumentException("--insecure excludes --join-token and --ca-fingerprint");
            }
            return new AgentSecurity(tls.agentSecurity(), Optional.empty());
        }
        if (tls.certFile != null || tls.keyFile != null) {
            return new AgentSecurity(tls.agentSecurity(), Optional.empty()); // provisioned by hand
        }
        IdentityStore store = new IdentityStore(config.workDir());
        Optional<String> storedCa = storedCa(store.directory());
        Optional<String> token = join.token();
        CaPin pin;
        TlsSettings joinTls;
        if (tls.caFile != null && join.caFingerprint != null) {
            throw new IllegalArgumentException("give --ca-file or --ca-fingerprint, not both");
        } else if (tls.caFile != null) {
            pin = CaPin.file(read(tls.caFile));
            joinTls = TlsSettings.clientTrusting(tls.caFile);
        } else if (join.caFingerprint != null) {
            pin = CaPin.fingerprint(join.caFingerprint);
            joinTls = TlsSettings.pinnedCa(join.caFingerprint);
        } else if (storedCa.isPresent()) {
            pin = CaPin.file(storedCa.get());
            joinTls = TlsSettings.client(Pem.certificates(storedCa.get(), store.directory() + "/ca.pem").get(0),
                    store.directory() + "/ca.pem");
        } else if (token.isEmpty() && DevDirectories.ofThisUser().existingSecrets().isPresent()) {
            // A development cluster of this user on this machine: join it with a token made here.
            Path dev = DevDirectories.ofThisUser().existingSecrets().get();
            token = Optional.of(devJoinToken(dev));
            pin = CaPin.file(read(dev.resolve("ca.pem")));
            joinTls = TlsSettings.clientTrusting(dev.resolve("ca.pem"));
            log.info("agent {}: joining the development cluster whose secrets are in {}", config.agentId(), dev);
        } else {
            throw new IllegalArgumentException("agent " + config.agentId() + " has no certificate in " + store.directory()
                    + ": give --join-token (made with 'drover token create --role agent') and --ca-file (the cluster's"
                    + " ca.pem) or --ca-fingerprint; or --insecure for a plaintext development cluster");
        }
        AtomicReference<StoredIdentity> current = new AtomicReference<>();
        ClientSecurity security = new ClientSecurity(new CurrentCertificate(current, joinTls)::settings, () -> null);
        CertificateRenewer renewer = AgentIdentitySetup.establish(config, token, pin, security, current::set);
        current.set(renewer.current());
        return new AgentSecurity(security, Optional.of(renewer));
    }

    private static String devJoinToken(Path secretsDir) {
        try {
            // The token key alone: the CA would need Bouncy Castle, which is not on an agent's class path.
            return SecretsDir.loadTokens(secretsDir, Clock.systemUTC())
                    .create(Role.AGENT, "dev-agent", Optional.empty(), Duration.ofMinutes(10), 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the development cluster's secrets in " + secretsDir + ": "
                    + e.getMessage(), e);
        }
    }

    private static Optional<String> storedCa(Path identityDir) {
        Path ca = identityDir.resolve("ca.pem");
        return Files.isRegularFile(ca) ? Optional.of(read(ca)) : Optional.empty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** TLS settings for the identity held now; built once per identity (an SSLContext is not free). */
    private static final class CurrentCertificate {
        private final AtomicReference<StoredIdentity> current;
        private final TlsSettings withoutCertificate;
        private StoredIdentity builtFor;
        private TlsSettings built;

        CurrentCertificate(AtomicReference<StoredIdentity> current, TlsSettings withoutCertificate) {
            this.current = current;
            this.withoutCertificate = withoutCertificate;
        }

        synchronized TlsSettings settings() {
            StoredIdentity id = current.get();
            if (id == null) {
                return withoutCertificate; // joining: the CA is trusted, no certificate yet
            }
            if (id != builtFor) {
                String source = "the agent's identity";
                built = TlsSettings.clientWithKey(Pem.privateKey(id.privateKeyPem(), source),
                        Pem.certificates(id.certificatePem(), source), Pem.certificates(id.caPem(), source).get(0));
                builtFor = id;
            }
            return built;
        }
    }
}
