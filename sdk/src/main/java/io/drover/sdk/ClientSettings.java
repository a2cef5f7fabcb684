package io.drover.sdk;

import io.drover.protocol.CallDeadlines;
import io.drover.protocol.CoordinatorConnection;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.Endpoint;
import io.drover.sdk.internal.ClientConnection;
import io.drover.sdk.internal.QuietLogging;
import java.time.Duration;
import java.util.List;

/** A client's settings as {@link DroverClient.Builder#build()} checked them, and the connection they describe. */
record ClientSettings(List<Endpoint> endpoints, String clientName, Duration connectTimeout, Duration helloTimeout,
        Duration callTimeout, Duration retryDeadline, boolean giveUpWhenNothingListens, Credentials credentials) {

    /** Checks the builder's values one by one; the exception names the first that is missing or out of range. */
    static ClientSettings checked(String endpoints, String clientName, Duration connectTimeout, Duration helloTimeout,
            Duration callTimeout, Duration retryDeadline, boolean giveUpWhenNothingListens, Credentials credentials) {
        if (endpoints == null || endpoints.isBlank()) {
            throw new IllegalArgumentException("endpoints must be given, e.g. \"127.0.0.1:7420\"");
        }
        List<Endpoint> parsed;
        try {
            parsed = Endpoint.parseList(endpoints);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("endpoints: " + e.getMessage(), e);
        }
        if (clientName == null || clientName.isBlank() || clientName.length() > 200) {
            throw new IllegalArgumentException("clientName must be 1..200 characters");
        }
        checkMillis("connectTimeout", connectTimeout);
        checkMillis("helloTimeout", helloTimeout);
        checkMillis("callTimeout", callTimeout);
        if (retryDeadline == null || retryDeadline.isNegative() || retryDeadline.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("retryDeadline must be 0..1 day, was " + retryDeadline);
        }
        return new ClientSettings(parsed, clientName, connectTimeout, helloTimeout, callTimeout, retryDeadline,
                giveUpWhenNothingListens, credentials);
    }

    private static void checkMillis(String field, Duration value) {
        if (value == null || value.toMillis() < 1 || value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(field + " must be 1 ms.." + Integer.MAX_VALUE + " ms, was " + value);
        }
    }

    /** The connection; it finds the leader on its first call. */
    ClientConnection connection() {
        QuietLogging.startSlf4jQuietlyWithoutBackend(); // before the protocol and libthrift ask SLF4J for loggers
        // The hello is a call too: never allowed longer than one.
        Duration hello = helloTimeout.compareTo(callTimeout) <= 0 ? helloTimeout : callTimeout;
        Duration parkMargin = CallDeadlines.DEFAULTS.parkMargin();
        CallDeadlines deadlines = new CallDeadlines(connectTimeout, hello, callTimeout, parkMargin, retryDeadline);
        return new ClientConnection(new CoordinatorConnection<>(CoordinatorService.CLIENT, endpoints, clientName,
                deadlines, giveUpWhenNothingListens, credentials.toSecurity()));
    }
}
