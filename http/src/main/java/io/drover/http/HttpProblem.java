package io.drover.http;

/**
 * A request the route refuses: the status and a message meant for the caller (it is sent as JSON, so it
 * needs no escaping here, and it must never carry secrets or stack traces).
 */
public final class HttpProblem extends Exception {
    private final int status;

    public HttpProblem(int status, String message) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static HttpProblem badRequest(String message) {
        return new HttpProblem(400, message);
    }

    public static HttpProblem unauthorized(String message) {
        return new HttpProblem(401, message);
    }

    public static HttpProblem forbidden(String message) {
        return new HttpProblem(403, message);
    }

    public static HttpProblem notFound(String message) {
        return new HttpProblem(404, message);
    }

    public static HttpProblem unavailable(String message) {
        return new HttpProblem(503, message);
    }
}
