package io.drover.agent.identity;

import io.drover.security.AgentKeys;
import io.drover.security.ClusterCa;
import io.drover.security.Pem;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A coordinator's enrollment as the agent sees it, on the security module's real CA: joins and
 * renewals are signed for {@code ttl}; the next calls can be made to fail or be refused. Records
 * what it was asked.
 */
final class TestCluster implements Enroller {
    final ClusterCa ca;
    private final Duration ttl;
    final List<String> calls = new ArrayList<>();
    int failNext;
    String refuseWith;

    TestCluster(Clock clock, Duration ttl) {
        this.ca = ClusterCa.create("test", clock);
        this.ttl = ttl;
    }

    static KeyMaker keys() {
        return agentId -> {
            KeyPair pair = AgentKeys.generateKeyPair();
            return new KeyMaker.NewKey(Pem.encodePrivateKey(pair.getPrivate()), AgentKeys.certificateRequest(pair, agentId));
        };
    }

    String caPem() {
        return Pem.encodeCertificate(ca.certificate());
    }

    @Override
    public Grant join(String token, String agentId, String csrPem) throws EnrollmentRefusedException {
        calls.add("join " + token + " " + agentId);
        return sign(csrPem, agentId);
    }

    @Override
    public Grant renew(String csrPem) throws EnrollmentRefusedException {
        calls.add("renew");
        return sign(csrPem, "a1");
    }

    private Grant sign(String csrPem, String agentId) throws EnrollmentRefusedException {
        if (refuseWith != null) {
            throw new EnrollmentRefusedException(refuseWith);
        }
        if (failNext > 0) {
            failNext--;
            throw new IllegalStateException("no leading coordinator answered");
        }
        try {
            X509Certificate c = ca.signAgent(csrPem, agentId, "edge", ttl);
            return new Grant(Pem.encodeCertificate(c), caPem(), c.getNotAfter().toInstant(), Optional.of("edge"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
