package io.drover.coordinator.secrets;

/**
 * Encrypts job secrets before they are stored and decrypts them for the agent that runs the job.
 * The composition root backs it with the security module's {@code SecretBox} under the secrets
 * directory's {@code secrets.key}; the sealed form is {@code enc:v1:<base64(nonce|ciphertext)>}.
 */
public interface SecretSealer {
    /** The prefix every sealed value starts with. */
    String PREFIX = "enc:v1:";

    /** A fresh sealed form of {@code plaintext} (two seals of one value differ). */
    String seal(String plaintext);

    /**
     * The plaintext of a value {@link #seal} made.
     *
     * @throws IllegalArgumentException when it is not a sealed value or does not authenticate under this key
     */
    String open(String sealed);

    /** For a coordinator without a secrets key: refuses secrets instead of storing them in the clear. */
    static SecretSealer unavailable() {
        return new SecretSealer() {
            @Override
            public String seal(String plaintext) {
                throw new SecretsUnavailableException();
            }

            @Override
            public String open(String sealed) {
                throw new SecretsUnavailableException();
            }
        };
    }
}
