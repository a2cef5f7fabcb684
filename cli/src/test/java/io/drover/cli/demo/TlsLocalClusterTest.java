package io.drover.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.protocol.tls.ClientSecurity;
import io.drover.protocol.tls.Pem;
import io.drover.sdk.Credentials;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobStatus;
import io.drover.testkit.tls.TestPki;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A real job over TLS 1.3 end to end: a coordinator with a server certificate, agents presenting
 * their own certificates, and an SDK client trusting the cluster CA.
 */
class TlsLocalClusterTest {
    @Test
    void aProcessJobRunsWithEveryConnectionOverTls() {
        TestPki pki = TestPki.create("drover cluster CA");
        try (LocalCluster cluster = new LocalCluster(2, 2, UnaryOperator.identity(), 0, pki.serverSettings(),
                id -> ClientSecurity.of(pki.agentSettings(id), null));
             DroverClient client = DroverClient.builder().endpoints(cluster.endpoint())
                     .credentials(Credentials.caPem(Pem.encodeCertificates(List.of(pki.ca()))).withToken("t")).build()) {
            assertThat(cluster.coordinator().awaitLeadership(Duration.ofSeconds(30))).isTrue();
            JobStatus end = client.submit(JobSpec.process(List.of("true")).name("over-tls").shards(8).build())
                    .await(Duration.ofSeconds(60));
            assertThat(end.succeeded()).isEqualTo(8);
            assertThat(client.agents()).hasSize(2);
        }
    }
}
