package io.drover.agent.link;

import io.drover.agent.identity.EnrollmentRefusedException;
import io.drover.agent.identity.Enroller;
import io.drover.agent.identity.Grant;
import io.drover.protocol.CoordinatorConnection;
import io.drover.protocol.RequestRefusedException;
import io.drover.protocol.thrift.AccessDenied;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.CertificateGrant;
import io.drover.protocol.thrift.JoinRequest;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link Enroller} over the agent service. Each call opens a fresh connection from
 * {@code connections} (so a renewal presents the certificate current at that moment) and closes it.
 * A refusal (AccessDenied, InvalidRequest) is final; anything else is left to the caller's retries.
 */
public final class ThriftEnroller implements Enroller {
    private final Supplier<CoordinatorConnection<AgentService.Client>> connections;

    public ThriftEnroller(Supplier<CoordinatorConnection<AgentService.Client>> connections) {
        this.connections = connections;
    }

    @Override
    public Grant join(String token, String agentId, String csrPem) throws EnrollmentRefusedException {
        return enroll(c -> c.join(new JoinRequest(token, agentId, csrPem)));
    }

    @Override
    public Grant renew(String csrPem) throws EnrollmentRefusedException {
        return enroll(c -> c.renewCertificate(csrPem));
    }

    private Grant enroll(CoordinatorConnection.Call<AgentService.Client, CertificateGrant> call)
            throws EnrollmentRefusedException {
        Object answer;
        try (CoordinatorConnection<AgentService.Client> connection = connections.get()) {
            // AccessDenied is an answer, not a fault to retry on another coordinator.
            answer = connection.call(c -> {
                try {
                    return call.apply(c);
                } catch (AccessDenied denied) {
                    return denied;
                }
            });
        } catch (RequestRefusedException e) {
            throw new EnrollmentRefusedException(e.getMessage());
        }
        if (answer instanceof AccessDenied denied) {
            throw new EnrollmentRefusedException(denied.getMessage());
        }
        CertificateGrant g = (CertificateGrant) answer;
        return new Grant(g.getCertificatePem(), g.getCaPem(), Instant.ofEpochMilli(g.getNotAfterMs()),
                Optional.ofNullable(g.getPool()));
    }
}
