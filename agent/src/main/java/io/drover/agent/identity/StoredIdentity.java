package io.drover.agent.identity;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** This agent's key, certificate and CA, as kept in {@code <work dir>/identity}. */
public record StoredIdentity(String privateKeyPem, String certificatePem, String caPem, X509Certificate certificate) {
    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    public BigInteger serial() {
        return certificate.getSerialNumber();
    }

    /** The agent id the certificate names (its CN). */
    public Optional<String> agentId() {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return Optional.of(String.valueOf(rdn.getValue()));
                }
            }
            return Optional.empty();
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }

    public boolean validAt(Instant now) {
        return !now.isBefore(notBefore()) && now.isBefore(notAfter());
    }
}
