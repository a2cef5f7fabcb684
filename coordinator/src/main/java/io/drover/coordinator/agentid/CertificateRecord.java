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
 * a revocation must name them all), with the SHA-256 of each certificate's public key: a join retried
 * after its answer was lost comes with the same key. Encoded as {@code pool|serialHex:notAfterMs:keyHex,...};
 * records written before keys were kept have {@code serialHex:notAfterMs} entries (read as no key).
 */
public record CertificateRecord(Optional<String> pool, List<Serial> serials) {
    /** One issued certificate; {@code keySha256} (hex) is empty in records from before keys were kept. */
    public record Serial(BigInteger serial, Instant notAfter, Optional<String> keySha256) {
        public Serial {
            keySha256 = keySha256 == null ? Optional.empty() : keySha256;
        }
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

    /** Whether the newest certificate, still valid at {@code now}, was issued for the key with this SHA-256. */
    public boolean newestLiveHasKey(String keySha256, Instant now) {
        if (serials.isEmpty()) {
            return false;
        }
        Serial newest = serials.get(serials.size() - 1);
        return now.isBefore(newest.notAfter()) && newest.keySha256().filter(keySha256::equals).isPresent();
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
        kept.add(new Serial(issued.serial(), issued.notAfter(), Optional.of(issued.keySha256())));
        return new CertificateRecord(pool, kept);
    }

    byte[] encode() {
        StringBuilder b = new StringBuilder(pool.orElse("")).append('|');
        for (int i = 0; i < serials.size(); i++) {
            b.append(i == 0 ? "" : ",").append(serials.get(i).serial().toString(16)).append(':')
                    .append(serials.get(i).notAfter().toEpochMilli());
            serials.get(i).keySha256().ifPresent(k -> b.append(':').append(k));
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
                serials.add(new Serial(new BigInteger(f[0], 16), Instant.ofEpochMilli(Long.parseLong(f[1])),
                        f.length > 2 ? Optional.of(f[2]) : Optional.empty()));
            }
        }
        return new CertificateRecord(Optional.of(text.substring(0, bar)), serials);
    }
}
