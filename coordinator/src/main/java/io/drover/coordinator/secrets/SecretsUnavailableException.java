package io.drover.coordinator.secrets;

/** This coordinator has no key for job secrets, so it neither stores nor hands out any. */
public final class SecretsUnavailableException extends IllegalStateException {
    public SecretsUnavailableException() {
        super("this coordinator has no key for job secrets: start it with the cluster's secrets directory "
                + "(--secrets-dir, which holds secrets.key)");
    }
}
