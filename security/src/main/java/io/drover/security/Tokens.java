package io.drover.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes and checks access tokens: {@code drv1.<base64url(payload)>.<base64url(HMAC-SHA256(key, payload))>},
 * payload {@code id|role|subject|pool|expiresEpochSeconds|maxUses}. Self-contained, so any coordinator
 * holding the token key verifies one without a lookup; use counts are the caller's business.
 * Thread-safe.
 */
public final class Tokens {
    public static final String PREFIX = "drv1";
    /** Far more than any token this class makes (about 250 characters at most); longer input is refused unread. */
    public static final int MAX_TOKEN_CHARS = 1024;
    private static final int MIN_KEY_BYTES = 32;
    private static final String MAC = "HmacSHA256";
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,12}");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** @param key the token key ({@code token.key}: 32 random bytes); copied */
    public Tokens(byte[] key, Clock clock) {
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("a token key needs at least " + MIN_KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(Arrays.copyOf(key, key.length), MAC);
        this.clock = clock;
    }

    /**
     * A new token for {@code role} standing for {@code subject}, expiring {@code ttl} from now.
     *
     * @param pool    the agent pool a join token admits to; empty for any
     * @param maxUses how many times it may be used; 0 for unbounded
     */
    public String create(Role role, String subject, Optional<String> pool, Duration ttl, int maxUses) {
        if (role == null) {
            throw new IllegalArgumentException("a token needs a role");
        }
        if (!Names.isSubject(subject)) {
            throw new IllegalArgumentException("a token subject is 1-128 letters, digits, '.', '_', '@' or '-', not '" + subject + "'");
        }
        if (pool.isPresent() && !Names.isPool(pool.get())) {
            throw new IllegalArgumentException("a pool is 1-128 letters, digits, '.', '_', '@' or '-', not '" + pool.get() + "'");
        }
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a token's lifetime must be positive, not " + ttl);
        }
        if (maxUses < 0) {
            throw new IllegalArgumentException("maxUses must be 0 (unbounded) or more, not " + maxUses);
        }
        byte[] id = new byte[12];
        random.nextBytes(id);
        long expires = clock.instant().plus(ttl).getEpochSecond();
        String payload = String.join("|", ENCODER.encodeToString(id), role.label(), subject, pool.orElse(""),
                Long.toString(expires), Integer.toString(maxUses));
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        return PREFIX + "." + ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(mac(bytes));
    }

    /**
     * Checks a token's form, signature, expiry and fields.
     *
     * @throws InvalidTokenException saying why it is refused (never echoing the token itself)
     */
    public TokenClaims verify(String token) throws InvalidTokenException {
        if (token == null || token.isEmpty()) {
            throw malformed("no token given");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw malformed("the token is " + token.length() + " characters long, more than " + MAX_TOKEN_CHARS);
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !PREFIX.equals(parts[0])) {
            throw malformed("a token reads drv1.<payload>.<signature>");
        }
        if (!BASE64URL.matcher(parts[1]).matches() || !BASE64URL.matcher(parts[2]).matches()) {
            throw malformed("the token's payload or signature is not base64url");
        }
        byte[] payload = decode(parts[1]);
        byte[] signature = decode(parts[2]);
        // MessageDigest.isEqual takes the same time wherever the first difference is.
        if (!MessageDigest.isEqual(mac(payload), signature)) {
            throw new InvalidTokenException(InvalidTokenException.Reason.BAD_SIGNATURE,
                    "the token's signature does not match: it was made for another cluster (another token.key) or altered");
        }
        return claims(new String(payload, StandardCharsets.UTF_8));
    }

    private TokenClaims claims(String payload) throws InvalidTokenException {
        String[] f = payload.split("\\|", -1);
        if (f.length != 6) {
            throw malformed("the token's payload has " + f.length + " fields, not 6");
        }
        if (!ID.matcher(f[0]).matches()) {
            throw malformed("the token's id is not 16-64 base64url characters");
        }
        if (!Names.isSubject(f[2])) {
            throw malformed("the token's subject is not 1-128 letters, digits, '.', '_', '@' or '-'");
        }
        if (!f[3].isEmpty() && !Names.isPool(f[3])) {
            throw malformed("the token's pool is not 1-128 letters, digits, '.', '_', '@' or '-'");
        }
        if (!DIGITS.matcher(f[4]).matches() || !DIGITS.matcher(f[5]).matches() || f[5].length() > 9) {
            throw malformed("the token's expiry or use count is not a number in range");
        }
        Role role = role(f[1]);
        Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(f[4]));
        if (!clock.instant().isBefore(expiresAt)) {
            throw new InvalidTokenException(InvalidTokenException.Reason.EXPIRED,
                    "the token expired at " + expiresAt + "; ask an admin for a new one ('drover token create')");
        }
        return new TokenClaims(f[0], role, f[2], f[3].isEmpty() ? Optional.empty() : Optional.of(f[3]), expiresAt,
                Integer.parseInt(f[5]));
    }

    private static Role role(String label) throws InvalidTokenException {
        for (Role r : Role.values()) {
            if (r.label().equals(label)) {
                return r;
            }
        }
        throw new InvalidTokenException(InvalidTokenException.Reason.UNKNOWN_ROLE,
                "the token's role '" + (label.length() > 32 ? label.substring(0, 32) + "..." : label)
                        + "' is unknown to this coordinator; roles: admin, operator, submitter, viewer, agent");
    }

    private static byte[] decode(String base64url) throws InvalidTokenException {
        try {
            return DECODER.decode(base64url);
        } catch (IllegalArgumentException e) {
            throw malformed("the token's payload or signature is not base64url");
        }
    }

    private static InvalidTokenException malformed(String why) {
        return new InvalidTokenException(InvalidTokenException.Reason.MALFORMED, "malformed token: " + why);
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance(MAC); // a Mac is not thread-safe; one per call is cheap
            mac.init(key);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot compute " + MAC, e);
        }
    }
}
