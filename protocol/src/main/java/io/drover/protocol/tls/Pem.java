package io.drover.protocol.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads X.509 certificates and unencrypted PKCS#8 private keys ("BEGIN PRIVATE KEY", EC or RSA) from
 * PEM with JDK classes only. Errors name the source (a file, or what the caller says the text is)
 * and what was expected there, so an operator can tell which file to fix.
 */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final int MAX_PEM_CHARS = 1024 * 1024;

    private Pem() {
    }

    /** Every certificate in {@code file}, in order (a chain: leaf first). */
    public static List<X509Certificate> readCertificates(Path file) {
        return certificates(readFile(file), file.toString());
    }

    /** The one certificate (or the first of a chain) in {@code file}. */
    public static X509Certificate readCertificate(Path file) {
        return readCertificates(file).get(0);
    }

    /** The PKCS#8 private key in {@code file}. */
    public static PrivateKey readPrivateKey(Path file) {
        return privateKey(readFile(file), file.toString());
    }

    /** Every certificate in {@code pem}; {@code source} names it in errors. Never empty. */
    public static List<X509Certificate> certificates(String pem, String source) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (byte[] der : blocks(pem, "CERTIFICATE", source)) {
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException(source + " holds a CERTIFICATE block that is not a valid X.509 certificate: "
                    + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no certificate (expected a "
                    + "'-----BEGIN CERTIFICATE-----' block)");
        }
        return List.copyOf(out);
    }

    /** The one PKCS#8 private key in {@code pem}, EC or RSA; {@code source} names it in errors. */
    public static PrivateKey privateKey(String pem, String source) {
        if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new IllegalArgumentException(source + " holds an encrypted private key; Drover reads only "
                    + "unencrypted PKCS#8 keys ('-----BEGIN PRIVATE KEY-----'), kept in a file only you can read");
        }
        if (pem.contains("-----BEGIN EC PRIVATE KEY-----") || pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            throw new IllegalArgumentException(source + " holds a key in the legacy OpenSSL format; convert it with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in OLD -out NEW'");
        }
        List<byte[]> keys = blocks(pem, "PRIVATE KEY", source);
        if (keys.size() != 1) {
            throw new IllegalArgumentException(source + " holds " + keys.size() + " private keys; expected exactly one "
                    + "'-----BEGIN PRIVATE KEY-----' block");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(keys.get(0));
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException(source + " holds a PRIVATE KEY block that is neither an EC nor an RSA "
                + "PKCS#8 key");
    }

    /** PEM text of {@code certificates}, one block each. */
    public static String encodeCertificates(List<X509Certificate> certificates) {
        StringBuilder out = new StringBuilder();
        for (X509Certificate c : certificates) {
            try {
                out.append(encode("CERTIFICATE", c.getEncoded()));
            } catch (CertificateException e) {
                throw new IllegalArgumentException("cannot encode the certificate of " + c.getSubjectX500Principal(), e);
            }
        }
        return out.toString();
    }

    /** PEM text of a PKCS#8 private key. */
    public static String encodePrivateKey(PrivateKey key) {
        return encode("PRIVATE KEY", key.getEncoded());
    }

    private static String encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static List<byte[]> blocks(String pem, String type, String source) {
        List<byte[]> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            if (!m.group(1).equals(type)) {
                continue;
            }
            try {
                out.add(Base64.getMimeDecoder().decode(m.group(2)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " holds a " + type + " block that is not valid base64", e);
            }
        }
        return out;
    }

    private static String readFile(Path file) {
        try {
            if (Files.size(file) > MAX_PEM_CHARS) {
                throw new IllegalArgumentException(file + " is larger than " + MAX_PEM_CHARS + " bytes: not a PEM file");
            }
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e, e);
        }
    }
}
