package io.drover.sdk;

/** The coordinator (or the SDK itself) rejected a request as malformed; the message names the field. */
public class InvalidJobException extends DroverException {
    /**
     * A refusal with its message, which names what is wrong.
     *
     * @param message what went wrong and what to do
     */
    public InvalidJobException(String message) {
        super(message);
    }
}
