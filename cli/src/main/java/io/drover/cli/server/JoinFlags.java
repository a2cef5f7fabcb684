package io.drover.cli.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How an agent joins the cluster: a join token (flag, file, or $DROVER_JOIN_TOKEN) and, to pin the
 * CA the coordinator presents, its fingerprint ({@code --ca-file} comes with the TLS flags).
 */
public final class JoinFlags {
    @Option(names = "--join-token", paramLabel = "TOKEN", defaultValue = "${env:DROVER_JOIN_TOKEN}",
            description = {"A join token ('drover token create --role agent'), traded once for this agent's certificate",
                    "(default: $DROVER_JOIN_TOKEN). Not needed while the certificate in <work dir>/identity is valid."})
    String joinToken;

    @Option(names = "--join-token-file", paramLabel = "FILE",
            description = "Read the join token from FILE (keeps it out of the process list).")
    Path joinTokenFile;

    @Option(names = "--ca-fingerprint", paramLabel = "sha256:HEX",
            description = "Pin the cluster CA by the SHA-256 fingerprint of its certificate instead of --ca-file.")
    String caFingerprint;

    /** The join token, if one was given. */
    Optional<String> token() {
        if (joinToken != null && !joinToken.isBlank() && joinTokenFile != null) {
            throw new IllegalArgumentException("give --join-token (or $DROVER_JOIN_TOKEN) or --join-token-file, not both");
        }
        if (joinTokenFile != null) {
            try {
                String t = Files.readString(joinTokenFile, StandardCharsets.US_ASCII).trim();
                if (t.isEmpty()) {
                    throw new IllegalArgumentException("--join-token-file " + joinTokenFile + " is empty");
                }
                return Optional.of(t);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --join-token-file " + joinTokenFile + ": " + e.getMessage(), e);
            }
        }
        return Optional.ofNullable(joinToken).map(String::trim).filter(t -> !t.isEmpty());
    }

    /** Whether the agent is to have a certificate: a token or a CA pin was given. */
    boolean wanted() {
        return token().isPresent() || caFingerprint != null;
    }
}
