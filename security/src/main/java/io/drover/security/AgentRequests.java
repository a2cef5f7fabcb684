package io.drover.security;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** Checks an agent's PKCS#10 request before the CA signs it; the request comes off the network. */
final class AgentRequests {
    /** A P-256 request is under 1 KB of PEM; anything far larger is not one of ours. */
    static final int MAX_PEM_CHARS = 16 * 1024;

    private AgentRequests() {
    }

    /**
     * @return the request's public key, once its size, form, key type, signature and CN are checked
     * @throws BadCertificateRequestException naming the first thing wrong
     */
    static PublicKey check(String csrPem, String agentId) throws BadCertificateRequestException {
        if (csrPem == null || csrPem.isBlank()) {
            throw new BadCertificateRequestException("the certificate request is empty");
        }
        if (csrPem.length() > MAX_PEM_CHARS) {
            throw new BadCertificateRequestException("the certificate request is " + csrPem.length()
                    + " characters; at most " + MAX_PEM_CHARS + " are accepted");
        }
        PKCS10CertificationRequest request;
        try {
            request = Pem.decodeRequest(csrPem);
        } catch (IllegalArgumentException e) {
            throw new BadCertificateRequestException("unreadable certificate request: " + e.getMessage(), e);
        }
        AlgorithmIdentifier keyAlgorithm = request.getSubjectPublicKeyInfo().getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(keyAlgorithm.getAlgorithm())
                || !SECObjectIdentifiers.secp256r1.equals(keyAlgorithm.getParameters())) {
            throw new BadCertificateRequestException("the certificate request's key is not an EC P-256 key ("
                    + keyAlgorithm.getAlgorithm() + "); agents generate P-256 keys");
        }
        PublicKey publicKey;
        try {
            // By name: the JDK has no KeyFactory registered under the EC key OID that Bouncy Castle would look up.
            publicKey = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(request.getSubjectPublicKeyInfo().getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw new BadCertificateRequestException("unusable key in the certificate request: " + e.getMessage(), e);
        }
        try {
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey))) {
                throw new BadCertificateRequestException("the certificate request's signature does not match its key "
                        + "(altered in transit, or signed with another key)");
            }
        } catch (BadCertificateRequestException e) {
            throw e;
        } catch (Exception e) { // OperatorCreationException, PKCSException and malformed-ASN.1 runtime exceptions
            throw new BadCertificateRequestException("cannot check the certificate request's signature: " + e.getMessage(), e);
        }
        String cn = commonName(request);
        if (!cn.equals(agentId)) {
            throw new BadCertificateRequestException("the certificate request names '" + cn + "', not the joining agent '"
                    + agentId + "'");
        }
        return publicKey;
    }

    private static String commonName(PKCS10CertificationRequest request) throws BadCertificateRequestException {
        RDN[] cns = request.getSubject().getRDNs(BCStyle.CN);
        if (cns.length != 1 || cns[0].isMultiValued()) {
            throw new BadCertificateRequestException("the certificate request must name exactly one CN (the agent id), it has "
                    + cns.length);
        }
        return IETFUtils.valueToString(cns[0].getFirst().getValue());
    }
}
