package io.drover.coordinator;

import io.drover.coordinator.core.SchedulerConfig;
import io.drover.coordinator.transport.TransportLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a coordinator process needs.
 *
 * @param zkConnect        ZooKeeper connect string ("h1:2181,h2:2181,h3:2181")
 * @param zkRoot           root znode of this Drover cluster, e.g. "/drover"
 * @param listenHost       address to bind ("0.0.0.0" for all)
 * @param listenPort       port to bind; 0 picks a free one
 * @param advertiseHost    host agents and clients reach this coordinator at (leader hints carry it)
 * @param zkSessionTimeout ZooKeeper session timeout; a dead leader is replaced after about this long
 * @param tickMillis       how often the core checks liveness, parked polls and retries
 * @param maxArtifactBytes largest job artifact accepted
 * @param compactAfterFacts the fact log is compacted into a snapshot after this many new facts
 * @param transport        what the Thrift port grants its peers: frame size, read memory, connection
 *                         caps, frame and idle timeouts
 * @param stepDownAfter    a coordinator whose core loop or RPC port has not worked for this long
 *                         steps down and exits (see {@code ServingWatchdog}); zero disables the watchdog
 */
public record CoordinatorConfig(String zkConnect, String zkRoot, String listenHost, int listenPort,
                                String advertiseHost, Duration zkSessionTimeout, long tickMillis,
                                long maxArtifactBytes, SchedulerConfig scheduler, long compactAfterFacts,
                                TransportLimits transport, Duration stepDownAfter) {
    public CoordinatorConfig {
        Objects.requireNonNull(zkConnect, "zkConnect");
        if (!zkRoot.startsWith("/") || zkRoot.endsWith("/")) {
            throw new IllegalArgumentException("zkRoot must start with / and not end with /, was '" + zkRoot + "'");
        }
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("listenPort must be 0..65535, was " + listenPort);
        }
        if (tickMillis < 1) {
            throw new IllegalArgumentException("tickMillis must be >= 1");
        }
        if (compactAfterFacts < 1) {
            throw new IllegalArgumentException("compactAfterFacts must be >= 1");
        }
        if (maxArtifactBytes < 1) {
            throw new IllegalArgumentException("maxArtifactBytes must be >= 1");
        }
        Objects.requireNonNull(transport, "transport");
        if (stepDownAfter.isNegative() || (!stepDownAfter.isZero() && stepDownAfter.toMillis() < 3_000)) {
            throw new IllegalArgumentException("stepDownAfter must be 0 (off) or >= 3s, was " + stepDownAfter);
        }
    }

    public static CoordinatorConfig defaults(String zkConnect) {
        return new CoordinatorConfig(zkConnect, "/drover", "127.0.0.1", 7420, "127.0.0.1", Duration.ofSeconds(6), 50,
                64L * 1024 * 1024, SchedulerConfig.defaults(), 200_000, TransportLimits.defaults(), Duration.ofSeconds(10));
    }

    public CoordinatorConfig withListen(String host, int port) {
        return new CoordinatorConfig(zkConnect, zkRoot, host, port, advertiseHost, zkSessionTimeout, tickMillis,
                maxArtifactBytes, scheduler, compactAfterFacts, transport, stepDownAfter);
    }

    public CoordinatorConfig withAdvertiseHost(String host) {
        return new CoordinatorConfig(zkConnect, zkRoot, listenHost, listenPort, host, zkSessionTimeout, tickMillis,
                maxArtifactBytes, scheduler, compactAfterFacts, transport, stepDownAfter);
    }

    public CoordinatorConfig withZkRoot(String root) {
        return new CoordinatorConfig(zkConnect, root, listenHost, listenPort, advertiseHost, zkSessionTimeout, tickMillis,
                maxArtifactBytes, scheduler, compactAfterFacts, transport, stepDownAfter);
    }

    public CoordinatorConfig withSessionTimeout(Duration timeout) {
        return new CoordinatorConfig(zkConnect, zkRoot, listenHost, listenPort, advertiseHost, timeout, tickMillis,
                maxArtifactBytes, scheduler, compactAfterFacts, transport, stepDownAfter);
    }

    public CoordinatorConfig withCompactAfterFacts(long facts) {
        return new CoordinatorConfig(zkConnect, zkRoot, listenHost, listenPort, advertiseHost, zkSessionTimeout, tickMillis,
                maxArtifactBytes, scheduler, facts, transport, stepDownAfter);
    }

    public CoordinatorConfig withScheduler(SchedulerConfig s) {
        return new CoordinatorConfig(zkConnect, zkRoot, listenHost, listenPort, advertiseHost, zkSessionTimeout, tickMillis,
                maxArtifactBytes, s, compactAfterFacts, transport, stepDownAfter);
    }

    public CoordinatorConfig withTransport(TransportLimits t) {
        return new CoordinatorConfig(zkConnect, zkRoot, listenHost, listenPort, advertiseHost, zkSessionTimeout, tickMillis,
                maxArtifactBytes, scheduler, compactAfterFacts, t, stepDownAfter);
    }

    public CoordinatorConfig withStepDownAfter(Duration d) {
        return new CoordinatorConfig(zkConnect, zkRoot, listenHost, listenPort, advertiseHost, zkSessionTimeout, tickMillis,
                maxArtifactBytes, scheduler, compactAfterFacts, transport, d);
    }
}
