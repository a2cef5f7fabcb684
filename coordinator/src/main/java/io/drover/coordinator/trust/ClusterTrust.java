package io.drover.coordinator.trust;

import io.drover.coordinator.auth.TokenVerifier;
import io.drover.coordinator.secrets.SecretSealer;
import io.drover.coordinator.zk.ZkCredential;
import io.drover.security.InvalidTokenException;
import io.drover.security.SecretBox;
import io.drover.security.SecretBoxException;
import io.drover.security.SecretsDir;
import io.drover.security.Tokens;

/**
 * The coordinator's ports backed by the cluster's secrets directory (security/README.md): tokens
 * verified with its token key, job secrets sealed with its secrets key, ZooKeeper reached with its
 * digest credential. One place turns the directory into what {@code CoordinatorServer} takes.
 */
public final class ClusterTrust {
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
}
