package io.drover.cli.server;

import io.drover.protocol.Endpoint;
import java.net.InetSocketAddress;
import java.util.Optional;

/** The {@code --http-listen} value of the server commands: {@code HOST:PORT}, or {@code off} for no HTTP port. */
final class HttpListen {
    static final String OFF = "off";

    private HttpListen() {
    }

    /** @throws IllegalArgumentException naming the flag and what it takes */
    static Optional<InetSocketAddress> parse(String value) {
        if (value == null || value.isBlank() || value.trim().equalsIgnoreCase(OFF)) {
            return Optional.empty();
        }
        try {
            Endpoint e = Endpoint.parse(value.trim());
            return Optional.of(new InetSocketAddress(e.host(), e.port()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--http-listen takes HOST:PORT or 'off', not '" + value + "': " + e.getMessage());
        }
    }

    /** The URL people use: the advertised host when bound to every address. */
    static String url(boolean https, String host, int port) {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (https ? "https" : "http") + "://" + h + ":" + port;
    }
}
