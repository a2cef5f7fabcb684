package io.drover.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The directory every coordinator of a cluster shares (see the README's table): the CA, the token
 * key, the key for secrets at rest, the ZooKeeper digest credential and the first admin token.
 * {@link #init} makes one (0700, every file 0600, whatever the umask; never over an existing one);
 * {@link #load} reads one back and refuses key files that group or others may read.
 */
public final class SecretsDir {
    public static final String CA_CERTIFICATE = "ca.pem";
    public static final String CA_KEY = "ca.key";
    public static final String TOKEN_KEY = "token.key";
    public static final String SECRETS_KEY = "secrets.key";
    public static final String ZOOKEEPER_DIGEST = "zookeeper.digest";
    public static final String ADMIN_TOKEN = "admin.token";
    /** The files {@link #init} creates, in the order it creates them. */
    public static final List<String> FILES = List.of(CA_CERTIFICATE, CA_KEY, TOKEN_KEY, SECRETS_KEY, ZOOKEEPER_DIGEST, ADMIN_TOKEN);
    public static final String ZOOKEEPER_USER = "drover";
    public static final String ADMIN_SUBJECT = "admin";
    public static final Duration ADMIN_TOKEN_TTL = Duration.ofDays(365);
    private static final int KEY_BYTES = 32;
    private static final Pattern DIGEST = Pattern.compile("[A-Za-z0-9._-]{1,64}:[A-Za-z0-9_-]{16,128}");

    private final Path dir;
    private final ClusterCa ca;
    private final byte[] tokenKey;
    private final byte[] secretsKey;
    private final String zookeeperDigest;
    private final Clock clock;

    private SecretsDir(Path dir, ClusterCa ca, byte[] tokenKey, byte[] secretsKey, String zookeeperDigest, Clock clock) {
        this.dir = dir;
        this.ca = ca;
        this.tokenKey = tokenKey;
        this.secretsKey = secretsKey;
        this.zookeeperDigest = zookeeperDigest;
        this.clock = clock;
    }

    /**
     * Creates a cluster's secrets in {@code dir}, which must not exist or be empty.
     *
     * @throws IOException if {@code dir} holds anything, or a file cannot be written (what was written is removed)
     */
    public static SecretsDir init(Path dir, String clusterName, Clock clock) throws IOException {
        ClusterCa ca = ClusterCa.create(clusterName, clock); // checks the name before anything touches the disk
        prepareEmptyDirectory(dir);
        SecureRandom random = new SecureRandom();
        byte[] tokenKey = randomBytes(random, KEY_BYTES);
        byte[] secretsKey = randomBytes(random, KEY_BYTES);
        String digest = ZOOKEEPER_USER + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(random, 24));
        String adminToken = new Tokens(tokenKey, clock).create(Role.ADMIN, ADMIN_SUBJECT, Optional.empty(), ADMIN_TOKEN_TTL, 0);
        List<Path> written = new ArrayList<>();
        try {
            write(dir, CA_CERTIFICATE, Pem.encodeCertificate(ca.certificate()).getBytes(StandardCharsets.US_ASCII), written);
            write(dir, CA_KEY, Pem.encodePrivateKey(ca.privateKey()).getBytes(StandardCharsets.US_ASCII), written);
            write(dir, TOKEN_KEY, keyText(tokenKey), written);
            write(dir, SECRETS_KEY, keyText(secretsKey), written);
            write(dir, ZOOKEEPER_DIGEST, (digest + "\n").getBytes(StandardCharsets.US_ASCII), written);
            write(dir, ADMIN_TOKEN, (adminToken + "\n").getBytes(StandardCharsets.US_ASCII), written);
        } catch (IOException | RuntimeException e) {
            for (Path p : written) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
        return new SecretsDir(dir, ca, tokenKey, secretsKey, digest, clock);
    }

    /** {@link #load(Path, Clock)} with the system clock. */
    public static SecretsDir load(Path dir) throws IOException {
        return load(dir, Clock.systemUTC());
    }

    /**
     * Reads the secrets in {@code dir}. {@code admin.token} may be missing (an operator may move it away).
     *
     * @throws IOException naming the missing, unreadable or too-open file and what to do about it
     */
    public static SecretsDir load(Path dir, Clock clock) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null,
                    "no secrets directory here; create one with 'drover ca init --dir " + dir + "'");
        }
        PrivateFiles.checkPrivate(dir);
        for (String name : List.of(CA_KEY, TOKEN_KEY, SECRETS_KEY, ZOOKEEPER_DIGEST)) {
            PrivateFiles.checkPrivate(existing(dir, name));
        }
        Path adminToken = dir.resolve(ADMIN_TOKEN);
        if (Files.exists(adminToken)) {
            PrivateFiles.checkPrivate(adminToken);
        }
        ClusterCa ca;
        try {
            X509Certificate certificate = Pem.decodeCertificate(Files.readString(existing(dir, CA_CERTIFICATE), StandardCharsets.US_ASCII));
            PrivateKey key = Pem.decodePrivateKey(Files.readString(existing(dir, CA_KEY), StandardCharsets.US_ASCII));
            ca = ClusterCa.of(certificate, key, clock);
        } catch (IllegalArgumentException e) {
            throw new IOException("the CA in " + dir + " is unusable: " + e.getMessage(), e);
        }
        byte[] tokenKey = key(dir, TOKEN_KEY);
        byte[] secretsKey = key(dir, SECRETS_KEY);
        String digest = Files.readString(dir.resolve(ZOOKEEPER_DIGEST), StandardCharsets.US_ASCII).strip();
        if (!DIGEST.matcher(digest).matches()) {
            throw new IOException(dir.resolve(ZOOKEEPER_DIGEST) + " does not hold user:password (letters, digits, '_', '-')");
        }
        return new SecretsDir(dir, ca, tokenKey, secretsKey, digest, clock);
    }

    public Path dir() {
        return dir;
    }

    public ClusterCa ca() {
        return ca;
    }

    /**
     * Only the token key of {@code dir}, checked as {@link #load} checks it, for a process that makes join tokens
     * and nothing else: an agent joining this user's development cluster. It reads neither the CA nor its key,
     * so it needs no Bouncy Castle, which the agent's class path leaves out (README: Idle agent memory).
     *
     * @throws IOException naming the missing, unreadable or too-open file
     */
    public static Tokens loadTokens(Path dir, Clock clock) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null,
                    "no secrets directory here; create one with 'drover ca init --dir " + dir + "'");
        }
        PrivateFiles.checkPrivate(dir);
        PrivateFiles.checkPrivate(existing(dir, TOKEN_KEY));
        return new Tokens(key(dir, TOKEN_KEY), clock);
    }

    /** The CA certificate's file: public, for agents and clients to trust. */
    public Path caCertificateFile() {
        return dir.resolve(CA_CERTIFICATE);
    }

    /** A copy of the token key. */
    public byte[] tokenKey() {
        return Arrays.copyOf(tokenKey, tokenKey.length);
    }

    /** Makes and verifies tokens with this directory's key and clock. */
    public Tokens tokens() {
        return new Tokens(tokenKey, clock);
    }

    public SecretBox secretBox() {
        return new SecretBox(secretsKey);
    }

    /** The coordinators' ZooKeeper digest credential, {@code user:password}. */
    public String zookeeperDigest() {
        return zookeeperDigest;
    }

    /** Where init wrote the first admin token; it may have been moved away since. */
    public Path adminTokenFile() {
        return dir.resolve(ADMIN_TOKEN);
    }

    private static void prepareEmptyDirectory(Path dir) throws IOException {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new IOException(dir + " exists and is not a directory; give 'drover ca init' a new directory");
            }
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException(dir + " is not empty; 'drover ca init' never overwrites a cluster's secrets. "
                            + "Give it a new directory (or remove this one if you mean to replace the cluster's CA and keys)");
                }
            }
        }
        PrivateFiles.ensureDirectory(dir);
    }

    private static void write(Path dir, String name, byte[] content, List<Path> written) throws IOException {
        Path file = dir.resolve(name);
        PrivateFiles.write(file, content);
        written.add(file);
    }

    private static Path existing(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "missing from the secrets directory; copy the whole "
                    + "directory 'drover ca init' made, or make a new one");
        }
        return file;
    }

    /** Keys are stored as one line of base64: text survives copying by configuration tools. */
    private static byte[] keyText(byte[] key) {
        return (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] key(Path dir, String name) throws IOException {
        String text = Files.readString(existing(dir, name), StandardCharsets.US_ASCII).trim();
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            key = new byte[0];
        }
        if (key.length != KEY_BYTES) {
            throw new IOException(dir.resolve(name) + " does not hold " + KEY_BYTES
                    + " base64-encoded bytes; it was altered (copy it again from the directory 'drover ca init' made)");
        }
        return key;
    }

    private static byte[] randomBytes(SecureRandom random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
