package io.drover.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts job secrets at rest: AES-256-GCM under {@code secrets.key}, a random 96-bit nonce per value,
 * written {@code enc:v1:<base64(nonce|ciphertext and tag)>}. GCM's tag detects any change to a sealed
 * value, and a value sealed under another key. Thread-safe.
 */
public final class SecretBox {
    public static final String PREFIX = "enc:v1:";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Binds a sealed value to this format, so a ciphertext made for another purpose under the same key does not open. */
    private static final byte[] ASSOCIATED_DATA = "drover secret v1".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    /** @param key 32 bytes ({@code secrets.key}); copied */
    public SecretBox(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("an AES-256 key is " + KEY_BYTES + " bytes, not " + (key == null ? 0 : key.length));
        }
        this.key = new SecretKeySpec(Arrays.copyOf(key, key.length), "AES");
    }

    /** Whether {@code value} looks sealed (has the {@code enc:v1:} prefix); says nothing of whether it opens. */
    public static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    public String seal(String plaintext) {
        if (plaintext == null) {
            throw new IllegalArgumentException("nothing to seal");
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot encrypt with AES-GCM", e);
        }
    }

    /**
     * @throws SecretBoxException if {@code sealed} is not an {@code enc:v1:} value, or was altered, or was
     *                            sealed under another key
     */
    public String open(String sealed) {
        if (!isSealed(sealed)) {
            throw new SecretBoxException("not a sealed value (it does not start with " + PREFIX + ")");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new SecretBoxException("a sealed value is not valid base64: it was altered", e);
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SecretBoxException("a sealed value is " + bytes.length + " bytes, too short to be one: it was altered");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(bytes, NONCE_BYTES));
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SecretBoxException("a sealed value does not open: it was altered, or sealed under another "
                    + "secrets.key (every coordinator must use the same secrets directory)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot decrypt with AES-GCM", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(ASSOCIATED_DATA);
        return cipher;
    }
}
