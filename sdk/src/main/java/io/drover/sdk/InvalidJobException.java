package io.drover.sdk;

/** The coordinator (or the SDK itself) rejected a request as malformed; the message names the field. */
public class InvalidJobException extends DroverException {
    public InvalidJobException(String message) {
        super(message);
    }
}
