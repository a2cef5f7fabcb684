package io.drover.security;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemGenerationException;

/**
 * PEM text for certificates, PKCS#8 private keys and PKCS#10 signing requests, through Bouncy
 * Castle's PEM classes. Keys and certificates come out as JDK objects (the JDK's providers do the
 * crypto, so no provider is registered globally). Reading throws {@link IllegalArgumentException}
 * saying what was expected and what was found; callers that read network input bound its size first.
 */
public final class Pem {
    private Pem() {
    }

    /** One certificate as a {@code CERTIFICATE} block. */
    public static String encodeCertificate(X509Certificate certificate) {
        return write(List.of(certificate));
    }

    /** A chain, leaf first, as consecutive {@code CERTIFICATE} blocks. */
    public static String encodeCertificates(List<X509Certificate> certificates) {
        return write(List.copyOf(certificates));
    }

    /** A private key as an unencrypted PKCS#8 {@code PRIVATE KEY} block. */
    public static String encodePrivateKey(PrivateKey key) {
        try {
            return write(List.of(new JcaPKCS8Generator(key, null).generate()));
        } catch (PemGenerationException e) {
            throw new IllegalArgumentException("cannot encode a " + key.getAlgorithm() + " private key as PKCS#8: " + e.getMessage(), e);
        }
    }

    /** A signing request as a {@code CERTIFICATE REQUEST} block. */
    public static String encodeRequest(PKCS10CertificationRequest request) {
        return write(List.of(request));
    }

    /** The first certificate of {@code pem}; anything else in it is an error. */
    public static X509Certificate decodeCertificate(String pem) {
        List<X509Certificate> all = decodeCertificates(pem);
        if (all.size() != 1) {
            throw new IllegalArgumentException("expected one certificate, found " + all.size());
        }
        return all.get(0);
    }

    /** Every certificate of {@code pem}, in order; at least one, and nothing but certificates. */
    public static List<X509Certificate> decodeCertificates(String pem) {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object o : readAll(pem, "certificate")) {
            if (!(o instanceof X509CertificateHolder holder)) {
                throw new IllegalArgumentException("expected certificates, found " + describe(o));
            }
            try {
                certificates.add(converter.getCertificate(holder));
            } catch (CertificateException e) {
                throw new IllegalArgumentException("unreadable certificate: " + e.getMessage(), e);
            }
        }
        return certificates;
    }

    /** A PKCS#8 {@code PRIVATE KEY} (or a traditional {@code EC PRIVATE KEY}, as openssl writes it). */
    public static PrivateKey decodePrivateKey(String pem) {
        Object o = readOne(pem, "private key");
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (o instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
        } catch (PEMException e) {
            throw new IllegalArgumentException("unreadable private key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("expected an unencrypted private key, found " + describe(o));
    }

    /** A PKCS#10 {@code CERTIFICATE REQUEST}. Its signature is not checked here. */
    public static PKCS10CertificationRequest decodeRequest(String pem) {
        Object o = readOne(pem, "certificate request");
        if (o instanceof PKCS10CertificationRequest request) {
            return request;
        }
        throw new IllegalArgumentException("expected a certificate request, found " + describe(o));
    }

    private static Object readOne(String pem, String what) {
        List<Object> all = readAll(pem, what);
        if (all.size() != 1) {
            throw new IllegalArgumentException("expected one " + what + ", found " + all.size() + " PEM blocks");
        }
        return all.get(0);
    }

    private static List<Object> readAll(String pem, String what) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("expected a PEM " + what + ", got nothing");
        }
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                objects.add(o);
            }
        } catch (IOException | RuntimeException e) {
            // PEMParser throws IOException for bad base64 or DER, and runtime exceptions for some malformed ASN.1.
            throw new IllegalArgumentException("not a readable PEM " + what + ": " + e.getMessage(), e);
        }
        if (objects.isEmpty()) {
            throw new IllegalArgumentException("no PEM block found where a " + what + " was expected "
                    + "(a '-----BEGIN ...-----' line)");
        }
        return objects;
    }

    private static String describe(Object o) {
        if (o instanceof X509CertificateHolder) {
            return "a certificate";
        }
        if (o instanceof PKCS10CertificationRequest) {
            return "a certificate request";
        }
        if (o instanceof PrivateKeyInfo || o instanceof PEMKeyPair) {
            return "a private key";
        }
        return "a PEM block of type " + o.getClass().getSimpleName();
    }

    private static String write(List<?> objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                writer.writeObject(o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing PEM to memory failed", e);
        }
        return text.toString();
    }
}
