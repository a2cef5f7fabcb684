package io.drover.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.protocol.CallDeadlines;
import io.drover.protocol.CoordinatorConnection;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.thrift.AgentRegistration;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.droverConstants;
import io.drover.protocol.tls.ClientSecurity;
import io.drover.protocol.tls.TlsSettings;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobStatus;
import io.drover.sdk.TaskStatus;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents renew their certificates while they run a job, on a secure cluster wired as in production:
 * certificates of 20 s renewed at two thirds of their life, a job long enough for at least two
 * renewals of every agent, and not one task lost, failed or run twice for it.
 */
class CertificateRotationTest {
    private static final Duration CERTIFICATE_TTL = Duration.ofSeconds(20);
    private static final int TASKS = 500;
    private static final int SLOTS = 4;
    private static final List<String> AGENTS = List.of("r1", "r2");

    @TempDir
    Path dir;

    @Test
    void anOpenConnectionMovesToTheRenewedCertificateBeforeItsNextCall() throws Exception {
        try (SecureGrid grid = SecureGrid.start(dir, CERTIFICATE_TTL)) {
            // Certificates signed directly by the cluster CA: the first ends in 3 s, its renewal in an hour.
            AtomicReference<TlsSettings> current = new AtomicReference<>(SecureGrid.agentTls(grid.secrets(), "m1", Duration.ofSeconds(3)));
            try (CoordinatorConnection<AgentService.Client> conn = new CoordinatorConnection<>(CoordinatorService.AGENT,
                    List.of(grid.endpoint()), "test agent", CallDeadlines.DEFAULTS, false,
                    new ClientSecurity(current::get, () -> null))) {
                conn.call(c -> {
                    c.registerAgent(new AgentRegistration("m1", "host", 1, Map.of(), droverConstants.PROTOCOL_VERSION, "test")
                            .setInstanceId("i-m1"));
                    return null;
                });
                current.set(SecureGrid.agentTls(grid.secrets(), "m1", Duration.ofHours(1)));
                Instant firstEnds = Instant.now().plusSeconds(4);
                await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(firstEnds));
                assertThat(conn.call(c -> c.heartbeat(new HeartbeatRequest("m1", List.of(), List.of(), 1, false, 0,
                        droverConstants.PROTOCOL_VERSION))).isReRegister()).as("heard on the renewed certificate").isFalse();
            }
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aJobRunsThroughTwoRenewalsOfEveryAgentWithNoTaskRunTwice() throws Exception {
        try (SecureGrid grid = SecureGrid.start(dir, CERTIFICATE_TTL)) {
            for (String id : AGENTS) {
                grid.startAgent(id, SLOTS, grid.joinToken(1));
            }
            DroverClient client = grid.adminClient();
            Map<String, Set<BigInteger>> serials = new ConcurrentHashMap<>();
            AGENTS.forEach(id -> serials.put(id, ConcurrentHashMap.newKeySet()));
            // Watches the identity stores while the job runs: a renewal every ~13 s, seen within 100 ms.
            ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
            try {
                long t0 = System.nanoTime();
                watcher.scheduleWithFixedDelay(() -> AGENTS.forEach(id -> serials.get(id).add(grid.storedSerial(id))),
                        0, 100, TimeUnit.MILLISECONDS);
                JobHandle job = client.submit(JobSpec.process(List.of("sleep", "0.6")).name("rotation").shards(TASKS)
                        .maxAttempts(1).build());
                JobStatus end = job.await(Duration.ofSeconds(75));
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                watcher.shutdown();
                assertThat(watcher.awaitTermination(5, TimeUnit.SECONDS)).isTrue();

                List<TaskStatus> tasks = job.status(true).tasks();
                long reruns = tasks.stream().mapToInt(t -> t.attempts() - 1).sum();
                System.out.printf("certificate rotation: %d tasks in %.1f s on %d agents x %d slots, certificates of %d s;"
                                + " renewals during the job: %s; failed %d, re-runs %d%n", TASKS, took.toMillis() / 1000.0,
                        AGENTS.size(), SLOTS, CERTIFICATE_TTL.toSeconds(),
                        AGENTS.stream().map(id -> id + "=" + (serials.get(id).size() - 1)).toList(), end.failed(), reruns);

                assertThat(end.succeeded()).isEqualTo(TASKS);
                assertThat(end.failed()).isZero();
                assertThat(tasks).hasSize(TASKS).allSatisfy(t -> assertThat(t.attempts()).as("attempts of task %d", t.task())
                        .isEqualTo(1));
                AGENTS.forEach(id -> assertThat(serials.get(id).size() - 1).as("renewals of %s during the job", id)
                        .isGreaterThanOrEqualTo(2));
            } finally {
                watcher.shutdownNow();
            }
        }
    }
}
