package io.drover.cli.client;

import io.drover.cli.options.DurationConverter;

import io.drover.sdk.DroverClient;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Options every client command shares: where the coordinators are, how to trust them and what
 * token to present, how long to keep retrying, and whether errors show stack traces.
 */
public final class CoordinatorOptions {
    @Option(names = "--coordinators", paramLabel = "HOST:PORT[,HOST:PORT...]",
            defaultValue = "${env:DROVER_COORDINATORS:-127.0.0.1:7420}",
            description = "Coordinator endpoints; the leader is found among them (default: $DROVER_COORDINATORS, "
                    + "else 127.0.0.1:7420; now ${DEFAULT-VALUE}).")
    String coordinators;

    @Option(names = "--retry-deadline", paramLabel = "DURATION", defaultValue = "15s",
            converter = DurationConverter.class,
            description = "How long to keep trying to reach a leading coordinator (default ${DEFAULT-VALUE}).")
    Duration retryDeadline;

    @Option(names = {"-v", "--verbose"}, description = "Show stack traces of errors.")
    boolean verbose;

    @Option(names = "--ca-file", paramLabel = "FILE", defaultValue = "${env:DROVER_CA_FILE}",
            description = "The cluster CA certificate (PEM) to trust: connect with TLS (default: $DROVER_CA_FILE).")
    String caFile;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:DROVER_TOKEN}",
            description = "Token to present to the coordinators (default: $DROVER_TOKEN). Prefer --token-file: "
                    + "other users can see command lines.")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", defaultValue = "${env:DROVER_TOKEN_FILE}",
            description = "File holding the token; it must be private (chmod 600) (default: $DROVER_TOKEN_FILE).")
    String tokenFile;

    @Option(names = "--insecure",
            description = "Plaintext, no certificate checks: only for coordinators run with --insecure "
                    + "(also DROVER_INSECURE=1).")
    boolean insecure;

    /** A client for the configured coordinators; it connects on first use. */
    DroverClient connect() {
        return connect(retryDeadline);
    }

    /** A client that retries for at most {@code maxRetry} (or --retry-deadline, if shorter). */
    DroverClient connect(Duration maxRetry) {
        return DroverClient.builder().endpoints(coordinators).clientName("drover-cli")
                .credentials(ClientCredentials.resolve(caFile, token, tokenFile, insecure, System.getenv()))
                .retryDeadline(maxRetry.compareTo(retryDeadline) < 0 ? maxRetry : retryDeadline)
                .giveUpWhenNothingListens(true).build();
    }
}
