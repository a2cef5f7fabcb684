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
 * @param retention        when the leader removes unfinished uploads and unreferenced artifacts
 */
public record CoordinatorConfig(String zkConnect, String zkRoot, String listenHost, int listenPort,
                                String advertiseHost, Duration zkSessionTimeout, long tickMillis,
                                long maxArtifactBytes, SchedulerConfig scheduler, long compactAfterFacts,
                                TransportLimits transport, Duration stepDownAfter,
                                ArtifactRetention retention) {
    /**
     * @param uploadExpiry  an unfinished upload untouched this long is removed; a complete artifact no
     *                      job or schedule refers to is removed once untouched this long (so a jar
     *                      uploaded just before its submit is kept)
     * @param sweepInterval how often the leader looks (and refreshes the store sizes it reports)
     */
    public record ArtifactRetention(Duration uploadExpiry, Duration sweepInterval) {
        public ArtifactRetention {
            if (uploadExpiry.isNegative() || uploadExpiry.isZero() || sweepInterval.isNegative() || sweepInterval.isZero()) {
                throw new IllegalArgumentException("upload expiry and sweep interval must be positive");
            }
        }

        public static ArtifactRetention defaults() {
            return new ArtifactRetention(Duration.ofHours(1), Duration.ofSeconds(60));
        }
    }

    public CoordinatorConfig {
        Objects.requireNonNull(retention, "retention");
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
                64L * 1024 * 1024, SchedulerConfig.defaults(), 200_000, TransportLimits.defaults(), Duration.ofSeconds(10),
                ArtifactRetention.defaults());
    }

    public CoordinatorConfig withZkConnect(String connect) {
        return new CoordinatorConfig(connect, zkRoot, listenHost, listenPort, advertiseHost, zkSessionTimeout, tickMillis,
                maxArtifactBytes, scheduler, compactAfterFacts, transport, stepDownAfter, retention);
    }

    public CoordinatorConfig withListen(String host, int port) {
        return new CoordinatorConfig(zkConnect, zkRoot, host, port, advertiseHost, zkSessionTimeout, tickMillis,
                maxArtifactBytes, scheduler, compactAfterFacts, transport, stepDownAfter, retention);
    }

    public CoordinatorConfig withAdvertiseHost(String host) {
        return new CoordinatorConfig(zkConnect, zkRoot, listenHost, listenPort, host, zkSessionTimeout, tickMillis,
                maxArtifactBytes, scheduler, compactAfterFacts, transport, stepDownAfter, retention);
    }

    public CoordinatorConfig withZkRoot(String root) {
        return new CoordinatorConfig(zkConnect, root, listenHost, listenPort, advertiseHost, zkSessionTimeout, tickMillis,
                maxArtifactBytes, scheduler, compactAfterFacts, transport, stepDownAfter, retention);
    }

    public CoordinatorConfig withSessionTimeout(Duration timeout) {
        return new CoordinatorConfig(zkConnect, zkRoot, listenHost, listenPort, advertiseHost, timeout, tickMillis,
                maxArtifactBytes, scheduler, compactAfterFacts, transport, stepDownAfter, retention);
    }

    public CoordinatorConfig withCompactAfterFacts(long facts) {
        return new CoordinatorConfig(zkConnect, zkRoot, listenHost, listenPort, advertiseHost, zkSessionTimeout, tickMillis,
                maxArtifactBytes, scheduler, facts, transport, stepDownAfter, retention);
    }

    public CoordinatorConfig withScheduler(SchedulerConfig s) {
        return new CoordinatorConfig(zkConnect, zkRoot, listenHost, listenPort, advertiseHost, zkSessionTimeout, tickMillis,
                maxArtifactBytes, s, compactAfterFacts, transport, stepDownAfter, retention);
    }

    public CoordinatorConfig withTransport(TransportLimits t) {
        return new CoordinatorConfig(zkConnect, zkRoot, listenHost, listenPort, advertiseHost, zkSessionTimeout, tickMillis,
                maxArtifactBytes, scheduler, compactAfterFacts, t, stepDownAfter, retention);
    }

    public CoordinatorConfig withStepDownAfter(Duration d) {
        return new CoordinatorConfig(zkConnect, zkRoot, listenHost, listenPort, advertiseHost, zkSessionTimeout, tickMillis,
                maxArtifactBytes, scheduler, compactAfterFacts, transport, d, retention);
    }

    public CoordinatorConfig withRetention(ArtifactRetention r) {
        return new CoordinatorConfig(zkConnect, zkRoot, listenHost, listenPort, advertiseHost, zkSessionTimeout, tickMillis,
                maxArtifactBytes, scheduler, compactAfterFacts, transport, stepDownAfter, r);
    }
}
