package io.drover.protocol;

/** The leader refused a request as malformed or from an incompatible release; retrying cannot help. */
public class RequestRefusedException extends RuntimeException {
    public RequestRefusedException(String message) {
        super(message);
    }
}
