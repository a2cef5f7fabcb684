package io.drover.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.protocol.tls.Pem;
import io.drover.testkit.tls.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientCredentialsTest {
    @TempDir
    Path dir;

    @Test
    void nothingGivenIsPlaintextForNow() {
        assertThat(ClientCredentials.resolve(null, null, null, false, Map.of()).isInsecure()).isTrue();
    }

    @Test
    void aCaFileAndATokenFileMakeTlsWithAToken() throws Exception {
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, Pem.encodeCertificates(List.of(TestPki.create("ca").ca())));
        Path token = privateFile("token", "s3cret\n");
        var c = ClientCredentials.resolve(ca.toString(), null, token.toString(), false, Map.of());
        assertThat(c.isInsecure()).isFalse();
        assertThat(c.hasToken()).isTrue();
    }

    @Test
    void aTokenFileOthersCanReadIsRefusedLikeSshDoes() throws Exception {
        Path token = privateFile("token", "s3cret");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ClientCredentials.resolve(null, null, token.toString(), false, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the token file " + token + " is accessible by other users (rw-r--r--)")
                .hasMessageContaining("chmod 600 " + token);
    }

    @Test
    void conflictingFlagsAreNamed() throws Exception {
        assertThatThrownBy(() -> ClientCredentials.resolve("ca.pem", null, null, false, Map.of("DROVER_INSECURE", "1")))
                .hasMessageContaining("both --insecure (or DROVER_INSECURE) and --ca-file");
        Path token = privateFile("t", "x");
        assertThatThrownBy(() -> ClientCredentials.resolve(null, "x", token.toString(), false, Map.of()))
                .hasMessageContaining("both --token (or DROVER_TOKEN) and --token-file");
        assertThatThrownBy(() -> ClientCredentials.resolve(dir.resolve("missing.pem").toString(), null, null, false, Map.of()))
                .hasMessageContaining("missing.pem");
    }

    private Path privateFile(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }
}
