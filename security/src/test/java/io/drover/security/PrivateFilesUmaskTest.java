package io.drover.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The secrets and identity directories come out 0700 / 0600 under any umask: checked in a child JVM. */
class PrivateFilesUmaskTest {
    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"0027", "0000", "0077", "0277"})
    void filesArePrivateWhateverTheUmask(String umask) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder("/bin/sh", "-c", "umask " + umask + " && exec \"$0\" -cp \"$1\" io.drover.security.UmaskProbe \"$2\"",
                java.toString(), System.getProperty("java.class.path"), temp.toString())
                .redirectErrorStream(true).start();
        String output;
        try {
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the probe finished").isTrue();
            output = new String(child.getInputStream().readAllBytes());
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as(output).isZero();

        Path secrets = temp.resolve("secrets");
        assertThat(mode(secrets)).isEqualTo("rwx------");
        for (String name : SecretsDir.FILES) {
            assertThat(mode(secrets.resolve(name))).as(name).isEqualTo("rw-------");
        }
        Path identity = temp.resolve("work").resolve("identity");
        assertThat(mode(identity)).isEqualTo("rwx------");
        for (String name : new String[] {AgentKeys.KEY_FILE, AgentKeys.CERTIFICATE_FILE, AgentKeys.CA_FILE}) {
            assertThat(mode(identity.resolve(name))).as(name).isEqualTo("rw-------");
        }
        try (var leftovers = Files.list(identity)) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("agent.key", "agent.pem", "ca.pem");
        }
        assertThat(SecretsDir.load(secrets).zookeeperDigest()).startsWith("drover:");
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
