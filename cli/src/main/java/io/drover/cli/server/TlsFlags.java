package io.drover.cli.server;

import io.drover.protocol.tls.ClientSecurity;
import io.drover.protocol.tls.Pem;
import io.drover.protocol.tls.TlsSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * TLS flags of the coordinator and agent commands: --insecure, or a certificate provisioned by hand
 * (the cluster CA certificate, this process's chain and PKCS#8 key, PEM files) in place of the ones
 * the coordinator issues itself from the secrets directory and agents get by joining (see
 * {@link CoordinatorSecurity}, {@link AgentSecurity}).
 */
public final class TlsFlags {
    // No DROVER_CA_FILE default here: that variable is the CLI client's, and a shell that sets it
    // must still be able to start a development coordinator.
    @Option(names = "--ca-file", paramLabel = "FILE", description = "The cluster CA certificate (PEM).")
    Path caFile;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "This process's certificate chain (PEM, its certificate first), issued by the cluster CA.")
    Path certFile;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "The private key of --tls-cert (PEM, PKCS#8 'BEGIN PRIVATE KEY'); keep it private.")
    Path keyFile;

    @Option(names = "--insecure", description = "Plaintext, no certificates: for development only.")
    boolean insecure;

    /** The coordinator's settings: all of --ca-file, --tls-cert, --tls-key, or none (plaintext). */
    TlsSettings serverSettings() {
        if (plaintext()) {
            return TlsSettings.insecure();
        }
        if (caFile == null || certFile == null || keyFile == null) {
            throw new IllegalArgumentException("a coordinator with TLS needs --ca-file, --tls-cert and --tls-key "
                    + "together (or --insecure for plaintext)");
        }
        return TlsSettings.server(Pem.readPrivateKey(keyFile), Pem.readCertificates(certFile), Pem.readCertificate(caFile));
    }

    /** An agent's settings: the CA and, once it has one, its certificate and key; or none (plaintext). */
    ClientSecurity agentSecurity() {
        if (plaintext()) {
            return ClientSecurity.insecure();
        }
        if (caFile == null || (certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("an agent with TLS needs --ca-file, and --tls-cert with --tls-key "
                    + "(or --insecure for plaintext)");
        }
        TlsSettings tls = certFile == null ? TlsSettings.clientTrusting(caFile)
                : TlsSettings.clientWithKey(Pem.readPrivateKey(keyFile), Pem.readCertificates(certFile),
                        Pem.readCertificate(caFile));
        return ClientSecurity.of(tls, null);
    }

    private boolean plaintext() {
        boolean any = caFile != null || certFile != null || keyFile != null;
        if (insecure && any) {
            throw new IllegalArgumentException("--insecure excludes --ca-file, --tls-cert and --tls-key: give one or the other");
        }
        return !any;
    }
}
