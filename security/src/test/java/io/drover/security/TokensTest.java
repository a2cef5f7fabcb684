package io.drover.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.security.InvalidTokenException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class TokensTest {
    private final byte[] key = new byte[32];
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T00:00:00Z"));
    private final Tokens tokens;

    TokensTest() {
        Arrays.fill(key, (byte) 7);
        tokens = new Tokens(key, clock);
    }

    @Test
    void aTokenRoundTrips() throws Exception {
        String token = tokens.create(Role.AGENT, "agent", Optional.of("gpu"), Duration.ofHours(1), 1);

        assertThat(token).matches("drv1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        TokenClaims claims = tokens.verify(token);
        assertThat(claims.role()).isEqualTo(Role.AGENT);
        assertThat(claims.subject()).isEqualTo("agent");
        assertThat(claims.pool()).contains("gpu");
        assertThat(claims.expiresAt()).isEqualTo(Instant.parse("2026-12-07T01:00:00Z"));
        assertThat(claims.maxUses()).isEqualTo(1);
        assertThat(claims.id()).hasSize(16);
        assertThat(tokens.verify(tokens.create(Role.SUBMITTER, "alice@example.org", Optional.empty(), Duration.ofDays(30), 0)))
                .satisfies(c -> {
                    assertThat(c.pool()).isEmpty();
                    assertThat(c.maxUses()).isZero();
                    assertThat(c.subject()).isEqualTo("alice@example.org");
                });
    }

    @Test
    void thePayloadIsTheReadmesFormat() {
        String token = tokens.create(Role.VIEWER, "bob", Optional.empty(), Duration.ofSeconds(60), 3);
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);

        assertThat(payload).matches("[A-Za-z0-9_-]{16}\\|viewer\\|bob\\|\\|" + (clock.instant().getEpochSecond() + 60) + "\\|3");
    }

    @Test
    void everyTokenHasItsOwnId() throws Exception {
        String a = tokens.create(Role.ADMIN, "x", Optional.empty(), Duration.ofHours(1), 0);
        String b = tokens.create(Role.ADMIN, "x", Optional.empty(), Duration.ofHours(1), 0);

        assertThat(tokens.verify(a).id()).isNotEqualTo(tokens.verify(b).id());
    }

    @Test
    void anExpiredTokenSaysWhen() throws Exception {
        String token = tokens.create(Role.ADMIN, "x", Optional.empty(), Duration.ofHours(1), 0);
        clock.advance(Duration.ofMinutes(59));
        tokens.verify(token);
        clock.advance(Duration.ofMinutes(1));

        assertRefused(() -> tokens.verify(token), Reason.EXPIRED, "the token expired at 2026-12-07T01:00:00Z");
    }

    @Test
    void aTamperedTokenIsRefused() {
        String token = tokens.create(Role.VIEWER, "bob", Optional.empty(), Duration.ofHours(1), 0);
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String promoted = Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replace("|viewer|", "|admin|").getBytes(StandardCharsets.UTF_8));
        char[] mac = parts[2].toCharArray();
        mac[3] = mac[3] == 'A' ? 'B' : 'A';

        assertRefused(() -> tokens.verify("drv1." + promoted + "." + parts[2]), Reason.BAD_SIGNATURE, "signature does not match");
        assertRefused(() -> tokens.verify("drv1." + parts[1] + "." + new String(mac)), Reason.BAD_SIGNATURE, "signature");
    }

    @Test
    void aTokenOfAnotherClusterIsRefused() {
        byte[] otherKey = new byte[32];
        String token = new Tokens(otherKey, clock).create(Role.ADMIN, "admin", Optional.empty(), Duration.ofHours(1), 0);

        assertRefused(() -> tokens.verify(token), Reason.BAD_SIGNATURE, "another cluster");
    }

    @Test
    void malformedTokensSayWhy() {
        assertRefused(() -> tokens.verify(""), Reason.MALFORMED, "no token given");
        assertRefused(() -> tokens.verify("x".repeat(2000)), Reason.MALFORMED, "more than 1024");
        assertRefused(() -> tokens.verify("drv2.abc.def"), Reason.MALFORMED, "drv1.<payload>.<signature>");
        assertRefused(() -> tokens.verify("drv1.abc"), Reason.MALFORMED, "drv1.<payload>.<signature>");
        assertRefused(() -> tokens.verify("drv1.a+b.def"), Reason.MALFORMED, "base64url");
        assertRefused(() -> tokens.verify("drv1.abcde.def"), Reason.MALFORMED, "base64url");
        assertRefused(() -> tokens.verify("drv1..def"), Reason.MALFORMED, "base64url");
    }

    @Test
    void aSignedPayloadIsStillCheckedFieldByField() {
        assertRefused(() -> tokens.verify(signed("AAAAAAAAAAAAAAAA|admin|x|" + future())), Reason.MALFORMED, "has 4 fields, not 6");
        assertRefused(() -> tokens.verify(signed("short|admin|x||" + future() + "|0")), Reason.MALFORMED, "id");
        assertRefused(() -> tokens.verify(signed("AAAAAAAAAAAAAAAA|admin|a b||" + future() + "|0")), Reason.MALFORMED, "subject");
        assertRefused(() -> tokens.verify(signed("AAAAAAAAAAAAAAAA|admin|||" + future() + "|0")), Reason.MALFORMED, "subject");
        assertRefused(() -> tokens.verify(signed("AAAAAAAAAAAAAAAA|admin|x|p/q|" + future() + "|0")), Reason.MALFORMED, "pool");
        assertRefused(() -> tokens.verify(signed("AAAAAAAAAAAAAAAA|admin|x||-1|0")), Reason.MALFORMED, "expiry");
        assertRefused(() -> tokens.verify(signed("AAAAAAAAAAAAAAAA|admin|x||" + future() + "|9999999999")), Reason.MALFORMED, "use count");
        assertRefused(() -> tokens.verify(signed("AAAAAAAAAAAAAAAA|root|x||" + future() + "|0")), Reason.UNKNOWN_ROLE,
                "the token's role 'root' is unknown");
        assertRefused(() -> tokens.verify(signed("AAAAAAAAAAAAAAAA|ADMIN|x||" + future() + "|0")), Reason.UNKNOWN_ROLE, "ADMIN");
    }

    @Test
    void creationChecksItsArguments() {
        assertThatThrownBy(() -> tokens.create(Role.ADMIN, "a|b", Optional.empty(), Duration.ofHours(1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject");
        assertThatThrownBy(() -> tokens.create(Role.AGENT, "agent", Optional.of(""), Duration.ofHours(1), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pool");
        assertThatThrownBy(() -> tokens.create(Role.AGENT, "agent", Optional.empty(), Duration.ZERO, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lifetime");
        assertThatThrownBy(() -> tokens.create(Role.AGENT, "agent", Optional.empty(), Duration.ofHours(1), -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxUses");
        assertThatThrownBy(() -> new Tokens(new byte[16], clock)).isInstanceOf(IllegalArgumentException.class);
    }

    private long future() {
        return clock.instant().getEpochSecond() + 3600;
    }

    private String signed(String payload) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return "drv1." + b64.encodeToString(bytes) + "." + b64.encodeToString(mac.doFinal(bytes));
    }

    private static void assertRefused(ThrowingCallable call, Reason reason, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidTokenException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }
}
