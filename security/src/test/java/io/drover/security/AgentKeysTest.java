package io.drover.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentKeysTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T00:00:00Z"));
    private final ClusterCa ca = ClusterCa.create("c", clock);
    @TempDir
    Path temp;

    @Test
    void anIdentityRoundTripsThroughItsDirectory() throws Exception {
        AgentKeys keys = join("edge-1", Duration.ofHours(24));
        Path identity = temp.resolve("work/identity");

        keys.store(identity);
        AgentKeys loaded = AgentKeys.load(identity).orElseThrow();

        assertThat(loaded.key()).isEqualTo(keys.key());
        assertThat(loaded.certificate()).isEqualTo(keys.certificate());
        assertThat(loaded.ca()).isEqualTo(ca.certificate());
        assertThat(loaded.agentId()).isEqualTo("edge-1");
        assertThat(loaded.pool()).contains("default");
        assertThat(loaded.toString()).doesNotContain("PRIVATE").contains("edge-1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(identity.resolve("agent.key")))).isEqualTo("rw-------");
    }

    @Test
    void renewalReplacesTheFiles() throws Exception {
        Path identity = temp.resolve("identity");
        join("edge-1", Duration.ofHours(24)).store(identity);
        AgentKeys renewed = join("edge-1", Duration.ofHours(24));

        renewed.store(identity);

        assertThat(AgentKeys.load(identity).orElseThrow().certificate()).isEqualTo(renewed.certificate());
    }

    @Test
    void renewalIsDueAtTwoThirdsOfTheLifetime() throws Exception {
        AgentKeys keys = join("edge-1", Duration.ofHours(24));
        // notBefore is a minute back for clock skew: the lifetime is 24 h 1 min.
        Instant notBefore = clock.instant().minus(Duration.ofMinutes(1));

        assertThat(keys.notBefore()).isEqualTo(notBefore);
        assertThat(keys.renewAt()).isEqualTo(notBefore.plus(Duration.ofHours(24).plusMinutes(1).multipliedBy(2).dividedBy(3)));
        assertThat(keys.validAt(clock.instant())).isTrue();
        assertThat(keys.validAt(clock.instant().plus(Duration.ofHours(25)))).isFalse();
    }

    @Test
    void nothingStoredIsEmpty() throws Exception {
        assertThat(AgentKeys.load(temp.resolve("none"))).isEmpty();
    }

    @Test
    void aKeyOthersCanReadIsRefused() throws Exception {
        Path identity = temp.resolve("identity");
        join("edge-1", Duration.ofHours(1)).store(identity);
        Files.setPosixFilePermissions(identity.resolve("agent.key"), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> AgentKeys.load(identity)).isInstanceOf(IOException.class).hasMessageContaining("chmod 600");
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefused() throws Exception {
        Path identity = temp.resolve("identity");
        join("edge-1", Duration.ofHours(1)).store(identity);
        Files.writeString(identity.resolve("agent.key"), Pem.encodePrivateKey(AgentKeys.generateKeyPair().getPrivate()));

        assertThatThrownBy(() -> AgentKeys.load(identity)).isInstanceOf(IOException.class)
                .hasMessageContaining("remove that directory and join again");
        KeyPair other = AgentKeys.generateKeyPair();
        X509Certificate certificate = join("edge-1", Duration.ofHours(1)).certificate();
        assertThatThrownBy(() -> new AgentKeys(other.getPrivate(), certificate, ca.certificate()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRequestNeedsAValidAgentId() {
        assertThatThrownBy(() -> AgentKeys.certificateRequest(AgentKeys.generateKeyPair(), "a/b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("an agent id is");
    }

    private AgentKeys join(String agentId, Duration ttl) throws Exception {
        KeyPair keys = AgentKeys.generateKeyPair();
        X509Certificate certificate = ca.signAgent(AgentKeys.certificateRequest(keys, agentId), agentId, "default", ttl);
        return new AgentKeys(keys.getPrivate(), certificate, ca.certificate());
    }
}
