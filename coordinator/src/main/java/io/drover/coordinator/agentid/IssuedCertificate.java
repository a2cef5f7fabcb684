package io.drover.coordinator.agentid;

import java.math.BigInteger;
import java.time.Instant;

/** A certificate the CA just signed: its PEM, the CA's PEM to trust, its serial and its end. */
public record IssuedCertificate(String certificatePem, String caPem, BigInteger serial, Instant notAfter) {
    public IssuedCertificate {
        if (certificatePem == null || caPem == null || serial == null || notAfter == null) {
            throw new IllegalArgumentException("an issued certificate needs its PEM, the CA's PEM, a serial and notAfter");
        }
    }
}
