package io.drover.coordinator.agentid;

import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** Reads what an agent certificate says: the agent id is its subject's CN. */
public final class CertificateNames {
    private CertificateNames() {
    }

    /** The subject's CN, if it has exactly one readable CN. */
    public static Optional<String> commonName(X509Certificate certificate) {
        try {
            LdapName name = new LdapName(certificate.getSubjectX500Principal().getName());
            Optional<String> cn = Optional.empty();
            for (Rdn rdn : name.getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    if (cn.isPresent()) {
                        return Optional.empty(); // two CNs: ambiguous, never an identity
                    }
                    cn = Optional.of(String.valueOf(rdn.getValue()));
                }
            }
            return cn;
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
