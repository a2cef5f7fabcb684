package io.drover.agent.identity;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The agent's key pair and signing request with the JDK alone: an EC P-256 key (PKCS#8 PEM) and a
 * PKCS#10 request with CN = agent id, signed SHA256withECDSA. The agent makes one at its join and
 * at each renewal, and nothing else of Bouncy Castle's would be loaded in it: its 180 classes and
 * their metadata stayed in every agent for good (README: Idle agent memory). The request has the
 * form the security module's {@code AgentKeys} writes (no attributes, the CN a UTF8String); the
 * coordinator checks it with Bouncy Castle as before (size, form, key type, signature, CN).
 */
public final class EcKeyMaker implements KeyMaker {
    /** The agent id rule of the security module's {@code Names}; the coordinator checks it again. */
    private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final byte[] OID_COMMON_NAME = {0x55, 0x04, 0x03};
    private static final byte[] OID_ECDSA_WITH_SHA256 = {0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x04, 0x03, 0x02};
    private final SecureRandom random;

    public EcKeyMaker(SecureRandom random) {
        this.random = random;
    }

    @Override
    public NewKey newKey(String agentId) {
        if (agentId == null || !AGENT_ID.matcher(agentId).matches()) {
            throw new IllegalArgumentException("an agent id is 1-128 letters, digits, '.', '_' or '-', not '" + agentId + "'");
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = generator.generateKeyPair();
            return new NewKey(pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
                    pem("CERTIFICATE REQUEST", certificateRequest(pair, agentId)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make EC P-256 keys or SHA256withECDSA signatures", e);
        }
    }

    /** The DER of a PKCS#10 CertificationRequest (RFC 2986) for {@code agentId}, signed with the pair's key. */
    private byte[] certificateRequest(KeyPair pair, String agentId) throws GeneralSecurityException {
        byte[] commonName = tlv(0x30, tlv(0x06, OID_COMMON_NAME), tlv(0x0C, agentId.getBytes(StandardCharsets.UTF_8)));
        byte[] subject = tlv(0x30, tlv(0x31, commonName));
        byte[] info = tlv(0x30, tlv(0x02, new byte[] {0}), subject, pair.getPublic().getEncoded(), tlv(0xA0));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate(), random);
        signer.update(info);
        byte[] signature = signer.sign(); // DER ECDSA-Sig-Value, as a BIT STRING's content holds it
        byte[] bits = new byte[signature.length + 1]; // a leading 0: no unused bits
        System.arraycopy(signature, 0, bits, 1, signature.length);
        return tlv(0x30, info, tlv(0x30, tlv(0x06, OID_ECDSA_WITH_SHA256)), tlv(0x03, bits));
    }

    /** One DER element: tag, definite length, then the parts one after another. */
    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.size();
        if (length < 0x80) {
            out.write(length);
        } else if (length <= 0xFF) {
            out.write(0x81);
            out.write(length);
        } else if (length <= 0xFFFF) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xFF);
        } else {
            throw new IllegalArgumentException("a DER element of " + length + " bytes is larger than a signing request has");
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
