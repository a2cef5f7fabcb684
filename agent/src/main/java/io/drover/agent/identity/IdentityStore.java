package io.drover.agent.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's identity on disk, in {@code <work dir>/identity} (0700): {@code agent.key} (PKCS#8
 * PEM, 0600, never sent anywhere), {@code agent.pem} (its certificate) and {@code ca.pem} (the
 * cluster CA), all 0600 whatever the umask.
 *
 * <p>A renewal replaces key and certificate together: both are written as {@code .new} files and
 * then renamed, key first. A crash between the renames leaves a new key beside the old
 * certificate; {@link #load} then finds the pair that belongs together (it checks key and
 * certificate with a signature), so no crash loses a working identity.
 */
public final class IdentityStore {
    private static final Logger log = LoggerFactory.getLogger(IdentityStore.class);
    static final String KEY = "agent.key";
    static final String CERTIFICATE = "agent.pem";
    static final String CA = "ca.pem";
    private static final String NEW = ".new";
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path dir;

    public IdentityStore(Path workDir) {
        this.dir = workDir.resolve("identity");
    }

    public Path directory() {
        return dir;
    }

    /**
     * The stored identity if it is whole, names {@code agentId} and is valid at {@code now}; else
     * empty, with the reason logged.
     */
    public Optional<StoredIdentity> load(String agentId, Instant now) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        Optional<String> ca = read(dir.resolve(CA));
        if (ca.isEmpty()) {
            return Optional.empty();
        }
        // The settled pair first; then the ones a crash between renames may leave.
        for (List<String> pair : List.of(List.of(KEY, CERTIFICATE), List.of(KEY, CERTIFICATE + NEW),
                List.of(KEY + NEW, CERTIFICATE + NEW))) {
            Optional<StoredIdentity> found = pair(pair.get(0), pair.get(1), ca.get());
            if (found.isPresent()) {
                StoredIdentity id = found.get();
                if (!id.agentId().filter(agentId::equals).isPresent()) {
                    log.warn("the certificate in {} is for agent {}, not {}; it is not used", dir,
                            id.agentId().orElse("(no CN)"), agentId);
                    return Optional.empty();
                }
                if (!id.validAt(now)) {
                    log.warn("the certificate in {} is not valid now (valid {} .. {}); it is not used", dir,
                            id.notBefore(), id.notAfter());
                    return Optional.empty();
                }
                return found;
            }
        }
        log.warn("{} holds no key and certificate that belong together; it is not used", dir);
        return Optional.empty();
    }

    /**
     * When the certificate now in {@code agent.pem} was stored (the file's modification time, kept by
     * the rename): when the agent received it, across restarts. Empty when there is none.
     */
    public Optional<Instant> receivedAt() {
        Path certificate = dir.resolve(CERTIFICATE);
        try {
            return Optional.of(Files.getLastModifiedTime(certificate).toInstant());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            log.warn("cannot read the modification time of {}: {}", certificate, e.toString());
            return Optional.empty();
        }
    }

    private Optional<StoredIdentity> pair(String keyFile, String certificateFile, String caPem) {
        Optional<String> keyPem = read(dir.resolve(keyFile));
        Optional<String> certificatePem = read(dir.resolve(certificateFile));
        if (keyPem.isEmpty() || certificatePem.isEmpty()) {
            return Optional.empty();
        }
        try {
            PrivateKey key = Pem.privateKey(keyPem.get());
            X509Certificate certificate = Pem.certificate(certificatePem.get());
            return Pem.matches(key, certificate)
                    ? Optional.of(new StoredIdentity(keyPem.get(), certificatePem.get(), caPem, certificate))
                    : Optional.empty();
        } catch (GeneralSecurityException e) {
            log.warn("cannot read {} / {} in {}: {}", keyFile, certificateFile, dir, e.toString());
            return Optional.empty();
        }
    }

    /**
     * Stores a new key with the certificate granted for it (a join or a renewal) and returns it.
     *
     * @throws UncheckedIOException when the directory cannot be written (the message names it)
     * @throws IllegalArgumentException when the grant's certificate is not one for this key
     */
    public StoredIdentity save(String privateKeyPem, Grant grant) {
        StoredIdentity identity;
        try {
            X509Certificate certificate = Pem.certificate(grant.certificatePem());
            if (!Pem.matches(Pem.privateKey(privateKeyPem), certificate)) {
                throw new IllegalArgumentException("the coordinator's certificate is not for this agent's new key");
            }
            identity = new StoredIdentity(privateKeyPem, grant.certificatePem(), grant.caPem(), certificate);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the coordinator sent an unreadable certificate: " + e.getMessage(), e);
        }
        try {
            makeDirectory();
            write(dir.resolve(KEY + NEW), privateKeyPem);
            write(dir.resolve(CERTIFICATE + NEW), grant.certificatePem());
            write(dir.resolve(CA + NEW), grant.caPem());
            rename(CA);
            rename(KEY);
            rename(CERTIFICATE);
            return identity;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the agent's identity in " + dir + ": " + e.getMessage(), e);
        }
    }

    private void makeDirectory() throws IOException {
        Files.createDirectories(dir);
        if (POSIX) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        if (POSIX) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------")); // whatever the umask
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    private void rename(String name) throws IOException {
        try {
            Files.move(dir.resolve(name + NEW), dir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(dir.resolve(name + NEW), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.US_ASCII)) : Optional.empty();
        } catch (IOException e) {
            log.warn("cannot read {}: {}", file, e.toString());
            return Optional.empty();
        }
    }
}
