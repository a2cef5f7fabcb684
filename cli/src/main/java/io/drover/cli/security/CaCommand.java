package io.drover.cli.security;

import io.drover.cli.options.VersionProvider;
import io.drover.security.ClusterCa;
import io.drover.security.Pem;
import io.drover.security.SecretsDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code drover ca init|show}: the cluster's CA and secrets directory. */
@Command(name = "ca", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "The cluster's certificate authority and the secrets directory coordinators share.",
        subcommands = {CaCommand.Init.class, CaCommand.Show.class})
public final class CaCommand implements Callable<Integer> {
    static final int INVALID = 2;

    @Spec
    CommandSpec spec;

    /** Without a subcommand: the usage, and the exit code of an invalid request. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return INVALID;
    }

    @Command(name = "init", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Create a cluster's secrets directory: a new CA, the token and secrets keys, the ZooKeeper "
                    + "credential and an admin token. The directory must not exist or be empty; it is made 0700 and "
                    + "every file 0600.",
                "Copy the whole directory, modes kept, to every coordinator (--secrets-dir)."})
    static final class Init implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The secrets directory to create")
        Path dir;

        @Option(names = "--name", defaultValue = "drover", paramLabel = "NAME",
                description = "The cluster's name, in the CA's subject. Default: ${DEFAULT-VALUE}")
        String name;

        @Override
        public Integer call() throws IOException {
            Clock clock = Clock.systemUTC();
            SecretsDir secrets = SecretsDir.init(dir, name, clock);
            X509Certificate ca = secrets.ca().certificate();
            Instant adminExpiry = clock.instant().plus(SecretsDir.ADMIN_TOKEN_TTL).truncatedTo(ChronoUnit.SECONDS);
            Summary out = new Summary(spec.commandLine().getOut());
            out.line("created " + dir.toAbsolutePath() + " (0700, every file 0600):");
            out.file(SecretsDir.CA_CERTIFICATE, "the cluster CA certificate; public: agents and clients trust it");
            out.file(SecretsDir.CA_KEY, "the CA's private key");
            out.file(SecretsDir.TOKEN_KEY, "the key that signs and verifies tokens");
            out.file(SecretsDir.SECRETS_KEY, "the key that encrypts job secrets at rest");
            out.file(SecretsDir.ZOOKEEPER_DIGEST, "the coordinators' ZooKeeper credential");
            out.file(SecretsDir.ADMIN_TOKEN, "an admin token (subject " + SecretsDir.ADMIN_SUBJECT + ", expires " + adminExpiry + ")");
            out.line("CA: " + ca.getSubjectX500Principal().getName() + ", expires " + ca.getNotAfter().toInstant());
            out.line("CA fingerprint: " + ClusterCa.fingerprint(ca));
            out.line("admin token: " + secrets.adminTokenFile().toAbsolutePath() + " (an admin's credential: keep it private)");
            out.line("next: copy the whole directory, modes kept, to each coordinator and start it with --secrets-dir");
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Show the cluster CA of a secrets directory: subject, validity, fingerprint (what agents pin).")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The secrets directory (only its ca.pem is read)")
        Path dir;

        @Override
        public Integer call() throws IOException {
            Path file = dir.resolve(SecretsDir.CA_CERTIFICATE);
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString(), null, "no CA certificate here; is " + dir
                        + " a directory 'drover ca init' made?");
            }
            X509Certificate ca;
            try {
                ca = Pem.decodeCertificate(Files.readString(file, StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " is not a readable certificate: " + e.getMessage(), e);
            }
            Instant now = Clock.systemUTC().instant();
            Instant expires = ca.getNotAfter().toInstant();
            PrintWriter out = spec.commandLine().getOut();
            out.println("subject:     " + ca.getSubjectX500Principal().getName());
            out.println("valid from:  " + ca.getNotBefore().toInstant());
            out.println("expires:     " + expires + (now.isBefore(expires)
                    ? " (in " + Duration.between(now, expires).toDays() + " days)" : " (EXPIRED: make a new CA with 'drover ca init')"));
            out.println("fingerprint: " + ClusterCa.fingerprint(ca));
            out.flush();
            return 0;
        }
    }

    /** Lines of the init summary, file names aligned. */
    private record Summary(PrintWriter out) {
        void line(String text) {
            out.println(text);
            out.flush();
        }

        void file(String name, String what) {
            line(String.format("  %-17s %s", name, what));
        }
    }
}
