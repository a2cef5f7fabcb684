package io.drover.coordinator.agentid;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The certificates an agent id is held by, as kept on ZooKeeper: its pool and every serial issued
 * to it that has not expired yet, newest last (a renewal does not end the previous certificate, so
 * a revocation must name them all). Encoded as {@code pool|serialHex:notAfterMs,...}.
 */
public record CertificateRecord(Optional<String> pool, List<Serial> serials) {
    /** One issued certificate. */
    public record Serial(BigInteger serial, Instant notAfter) {
    }

    public CertificateRecord {
        pool = pool == null ? Optional.empty() : pool.filter(p -> !p.isEmpty());
        serials = List.copyOf(serials);
    }

    /** Whether a certificate of it is still valid at {@code now} (revocation is checked apart). */
    public boolean liveAt(Instant now) {
        return serials.stream().anyMatch(s -> now.isBefore(s.notAfter()));
    }

    public boolean holds(BigInteger serial) {
        return serials.stream().anyMatch(s -> s.serial().equals(serial));
    }

    /** The end of the newest certificate. */
    public Instant notAfter() {
        return serials.isEmpty() ? Instant.EPOCH : serials.get(serials.size() - 1).notAfter();
    }

    /** This record with {@code issued} added and the certificates expired by {@code now} dropped. */
    CertificateRecord with(IssuedCertificate issued, Instant now) {
        List<Serial> kept = new ArrayList<>();
        for (Serial s : serials) {
            if (now.isBefore(s.notAfter())) {
                kept.add(s);
            }
        }
        kept.add(new Serial(issued.serial(), issued.notAfter()));
        return new CertificateRecord(pool, kept);
    }

    byte[] encode() {
        StringBuilder b = new StringBuilder(pool.orElse("")).append('|');
        for (int i = 0; i < serials.size(); i++) {
            b.append(i == 0 ? "" : ",").append(serials.get(i).serial().toString(16)).append(':')
                    .append(serials.get(i).notAfter().toEpochMilli());
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static CertificateRecord decode(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        int bar = text.indexOf('|');
        if (bar < 0) {
            throw new IllegalStateException("unreadable agent certificate record: " + text);
        }
        List<Serial> serials = new ArrayList<>();
        String list = text.substring(bar + 1);
        if (!list.isEmpty()) {
            for (String entry : list.split(",")) {
                String[] f = entry.split(":");
                serials.add(new Serial(new BigInteger(f[0], 16), Instant.ofEpochMilli(Long.parseLong(f[1]))));
            }
        }
        return new CertificateRecord(Optional.of(text.substring(0, bar)), serials);
    }
}
