package io.drover.coordinator.trust;

import io.drover.coordinator.CoordinatorServer;
import io.drover.coordinator.agentid.AgentEnrollment;
import io.drover.coordinator.agentid.AgentTrust;
import io.drover.coordinator.auth.TokenVerifier;
import io.drover.coordinator.secrets.SecretSealer;
import io.drover.coordinator.zk.ZkCredential;
import io.drover.protocol.tls.TlsSettings;
import io.drover.security.InvalidTokenException;
import io.drover.security.IssuedCredentials;
import io.drover.security.SecretBox;
import io.drover.security.SecretBoxException;
import io.drover.security.SecretsDir;
import io.drover.security.Tokens;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The coordinator's ports backed by the cluster's secrets directory (security/README.md): tokens
 * verified with its token key, job secrets sealed with its secrets key, ZooKeeper reached with its
 * digest credential, its TLS server certificate issued at start by the cluster CA, agents' certificates
 * signed by it. One place turns the directory into what {@code CoordinatorServer} takes.
 */
public final class ClusterTrust {
    /** A coordinator's own certificate lives in memory and is issued again at each start. */
    static final Duration SERVER_CERTIFICATE_TTL = Duration.ofDays(365);

    private final SecretsDir secrets;

    public ClusterTrust(SecretsDir secrets) {
        this.secrets = secrets;
    }

    public SecretsDir secrets() {
        return secrets;
    }

    public TokenVerifier tokenVerifier() {
        Tokens tokens = secrets.tokens();
        return token -> {
            try {
                return tokens.verify(token);
            } catch (InvalidTokenException e) {
                throw new TokenVerifier.Rejected(e.getMessage(), e);
            }
        };
    }

    public SecretSealer secretSealer() {
        SecretBox box = secrets.secretBox();
        return new SecretSealer() {
            @Override
            public String seal(String plaintext) {
                return box.seal(plaintext);
            }

            @Override
            public String open(String sealed) {
                try {
                    return box.open(sealed);
                } catch (SecretBoxException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            }
        };
    }

    public ZkCredential zooKeeperCredential() {
        return ZkCredential.parse(secrets.zookeeperDigest());
    }

    /**
     * A fresh server certificate naming {@code hostNames} (and {@code localhost}, {@code 127.0.0.1}, for
     * local clients and the watchdog's self-probe), signed by the cluster CA; the key never leaves memory.
     */
    public TlsSettings serverTls(List<String> hostNames) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String h : hostNames) {
            if (h != null && !h.isBlank() && !h.equals("0.0.0.0") && !h.equals("::")) {
                names.add(h);
            }
        }
        names.add("localhost");
        names.add("127.0.0.1");
        IssuedCredentials c = secrets.ca().issueServer(new ArrayList<>(names), SERVER_CERTIFICATE_TTL);
        return TlsSettings.server(c.keyPair().getPrivate(), c.chain(), secrets.ca().certificate());
    }

    /**
     * Makes {@code server} secure: TLS with {@code serverTls}, tokens for clients, certificates for agents
     * (signed for {@code agentCertificateTtl}, renewed by the agents), job secrets sealed, ZooKeeper
     * reached with {@code zooKeeper} (normally this directory's credential).
     */
    public CoordinatorServer secure(CoordinatorServer server, TlsSettings serverTls, ZkCredential zooKeeper,
                                    Duration agentCertificateTtl, Clock clock) {
        return server.withTls(serverTls)
                .requireTokens(tokenVerifier())
                .secretSealer(secretSealer())
                .zooKeeperCredential(zooKeeper)
                .agentTrust(certificates -> AgentTrust.secure(new AgentEnrollment(certificates,
                        SecurityAgentTrust.tokens(secrets.tokens()), SecurityAgentTrust.issuer(secrets.ca(), agentCertificateTtl),
                        clock)));
    }
}
