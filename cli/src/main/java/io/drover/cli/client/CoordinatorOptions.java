package io.drover.cli.client;

import io.drover.cli.options.DurationConverter;

import io.drover.sdk.DroverClient;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Options every client command shares: where the coordinators are, how long to keep retrying,
 * and whether errors show stack traces.
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

    /** A client for the configured coordinators; it connects on first use. */
    DroverClient connect() {
        return connect(retryDeadline);
    }

    /** A client that retries for at most {@code maxRetry} (or --retry-deadline, if shorter). */
    DroverClient connect(Duration maxRetry) {
        return DroverClient.builder().endpoints(coordinators).clientName("drover-cli")
                .retryDeadline(maxRetry.compareTo(retryDeadline) < 0 ? maxRetry : retryDeadline)
                .giveUpWhenNothingListens(true).build();
    }
}
