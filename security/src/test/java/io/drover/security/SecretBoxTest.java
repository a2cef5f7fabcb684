package io.drover.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
    private final SecretBox box = new SecretBox(new byte[32]);

    @Test
    void aSecretRoundTrips() {
        String sealed = box.seal("p@ss wörd");

        assertThat(sealed).startsWith("enc:v1:").doesNotContain("p@ss");
        assertThat(SecretBox.isSealed(sealed)).isTrue();
        assertThat(box.open(sealed)).isEqualTo("p@ss wörd");
        assertThat(box.open(box.seal(""))).isEmpty();
    }

    @Test
    void everySealUsesAFreshNonce() {
        assertThat(box.seal("same")).isNotEqualTo(box.seal("same"));
        byte[] bytes = Base64.getDecoder().decode(box.seal("x").substring(7));
        assertThat(bytes).hasSize(12 + 1 + 16);
    }

    @Test
    void aTamperedValueDoesNotOpen() {
        byte[] bytes = Base64.getDecoder().decode(box.seal("secret").substring(7));
        bytes[14] ^= 1;
        String tampered = "enc:v1:" + Base64.getEncoder().encodeToString(bytes);

        assertThatThrownBy(() -> box.open(tampered)).isInstanceOf(SecretBoxException.class)
                .hasMessageContaining("it was altered, or sealed under another secrets.key");
    }

    @Test
    void aValueSealedUnderAnotherKeyDoesNotOpen() {
        byte[] other = new byte[32];
        other[0] = 1;

        assertThatThrownBy(() -> box.open(new SecretBox(other).seal("secret"))).isInstanceOf(SecretBoxException.class);
    }

    @Test
    void notSealedOrTruncatedValuesAreNamed() {
        assertThat(SecretBox.isSealed("plain")).isFalse();
        assertThat(SecretBox.isSealed(null)).isFalse();
        assertThatThrownBy(() -> box.open("plain")).isInstanceOf(SecretBoxException.class).hasMessageContaining("not a sealed value");
        assertThatThrownBy(() -> box.open("enc:v1:AAAA")).isInstanceOf(SecretBoxException.class).hasMessageContaining("too short");
        assertThatThrownBy(() -> box.open("enc:v1:%%%")).isInstanceOf(SecretBoxException.class).hasMessageContaining("base64");
        assertThatThrownBy(() -> new SecretBox(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }
}
