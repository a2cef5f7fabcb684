package io.drover.security;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/** A fresh key pair and its certificate chain (leaf first, then the cluster CA), kept in memory. */
public record IssuedCredentials(KeyPair keyPair, List<X509Certificate> chain) {
    /** The alias of the key in {@link #keyStore}. */
    public static final String ALIAS = "drover";

    public IssuedCredentials {
        if (keyPair == null || chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("credentials need a key pair and at least one certificate");
        }
        chain = List.copyOf(chain);
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** An in-memory PKCS#12 key store holding the key under {@link #ALIAS}, for a {@code KeyManagerFactory}. */
    public KeyStore keyStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, keyPair.getPrivate(), password, chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build an in-memory key store: " + e.getMessage(), e);
        }
    }
}
