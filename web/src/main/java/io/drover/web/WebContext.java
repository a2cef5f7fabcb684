package io.drover.web;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the web routes need from the coordinator process that serves them.
 *
 * @param coordinatorEndpoints the coordinators' client endpoints ({@code host:port,...}, this one first), which the
 *                             gateway's SDK clients call; they find the leader among them as the CLI does
 * @param caPem                the cluster CA certificate (PEM) those clients trust, empty in insecure mode (plaintext)
 * @param whoami               who holds a token
 * @param cluster              this coordinator's local view of the cluster, read per request
 * @param clock                ages, rates and stream lifetimes
 */
public record WebContext(String coordinatorEndpoints, Optional<String> caPem, Whoami whoami,
                         Supplier<ClusterInfo> cluster, Clock clock) {
    public WebContext {
        Objects.requireNonNull(coordinatorEndpoints, "coordinatorEndpoints");
        Objects.requireNonNull(caPem, "caPem");
        Objects.requireNonNull(whoami, "whoami");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(clock, "clock");
        if (coordinatorEndpoints.isBlank()) {
            throw new IllegalArgumentException("coordinatorEndpoints must name at least one host:port");
        }
    }

    public boolean insecure() {
        return caPem.isEmpty();
    }
}
