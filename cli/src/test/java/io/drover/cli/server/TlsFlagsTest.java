package io.drover.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.protocol.tls.Pem;
import io.drover.testkit.tls.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator's and agent's TLS flags read real PEM files, and name the file or flag that is wrong. */
class TlsFlagsTest {
    @TempDir
    Path dir;

    @Test
    void noFlagsIsPlaintextAndAllThreeMakeServerSettings() throws Exception {
        assertThat(new TlsFlags().serverSettings().isInsecure()).isTrue();
        TestPki pki = TestPki.create("ca");
        TestPki.Issued server = pki.server();
        TlsFlags flags = new TlsFlags();
        flags.caFile = write("ca.pem", Pem.encodeCertificates(java.util.List.of(pki.ca())));
        flags.certFile = write("server.pem", Pem.encodeCertificates(server.chain()));
        flags.keyFile = write("server.key", Pem.encodePrivateKey(server.key()));
        assertThat(flags.serverSettings().isServer()).isTrue();
        flags.keyFile = null;
        assertThatThrownBy(flags::serverSettings).hasMessageContaining("--ca-file, --tls-cert and --tls-key together");
        assertThatThrownBy(flags::agentSecurity).hasMessageContaining("--tls-cert with --tls-key");
        flags.certFile = null;
        assertThat(flags.agentSecurity().currentTls().isInsecure()).isFalse(); // a CA alone: an agent still to join
    }

    @Test
    void pemErrorsNameTheFile() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        PrivateKey key = rsa.generateKeyPair().getPrivate();
        Path rsaKey = write("rsa.key", Pem.encodePrivateKey(key));
        assertThat(Pem.readPrivateKey(rsaKey).getAlgorithm()).isEqualTo("RSA");
        Path legacy = write("legacy.key", "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        assertThatThrownBy(() -> Pem.readPrivateKey(legacy)).hasMessageContaining(legacy.toString())
                .hasMessageContaining("openssl pkcs8 -topk8");
        Path empty = write("empty.pem", "nothing here\n");
        assertThatThrownBy(() -> Pem.readCertificates(empty)).hasMessageContaining(empty + " holds no certificate");
        TlsFlags flags = new TlsFlags();
        flags.insecure = true;
        flags.caFile = empty;
        assertThatThrownBy(flags::serverSettings).hasMessageContaining("--insecure excludes --ca-file");
    }

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }
}
