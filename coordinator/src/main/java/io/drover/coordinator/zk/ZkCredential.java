package io.drover.coordinator.zk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.Set;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * The coordinators' ZooKeeper digest credential, {@code user:password}. Every coordinator of a
 * cluster holds the same one (the secrets directory's {@code zookeeper.digest}); every znode they
 * create is readable and writable by this identity alone.
 */
public record ZkCredential(String user, String password) {
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    public ZkCredential {
        if (user == null || user.isEmpty() || user.indexOf(':') >= 0 || !printable(user)) {
            throw new IllegalArgumentException("the ZooKeeper credential's user must be non-empty printable text without ':'");
        }
        if (password == null || password.isEmpty() || !printable(password)) {
            throw new IllegalArgumentException("the ZooKeeper credential's password must be non-empty printable text");
        }
    }

    /** {@code user:password}; the password may contain ':'. */
    public static ZkCredential parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("a ZooKeeper digest credential is 'user:password'");
        }
        return new ZkCredential(text.substring(0, colon), text.substring(colon + 1));
    }

    /**
     * Reads {@code user:password} (one line) from a file only its owner may read: the password
     * grants everything in the cluster's ZooKeeper tree.
     */
    public static ZkCredential readFile(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(GROUP_OR_OTHER::contains)) {
                throw new IllegalArgumentException("ZooKeeper credential file " + file + " is readable by others (mode "
                        + java.nio.file.attribute.PosixFilePermissions.toString(perms) + "); run: chmod 600 " + file);
            }
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return parse(text);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("ZooKeeper credential file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read ZooKeeper credential file " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith("ZooKeeper credential file")) {
                throw e;
            }
            throw new IllegalArgumentException("ZooKeeper credential file " + file + ": " + e.getMessage(), e);
        }
    }

    /** What Curator sends as the digest scheme's auth data. */
    byte[] authBytes() {
        return (user + ":" + password).getBytes(StandardCharsets.UTF_8);
    }

    /** The ACL id ZooKeeper matches an authenticated session against: {@code user:base64(sha1(user:password))}. */
    public String digestId() {
        try {
            return DigestAuthenticationProvider.generateDigest(user + ":" + password);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-1, which ZooKeeper's digest scheme needs", e);
        }
    }

    private static boolean printable(String s) {
        return s.chars().allMatch(c -> c > 0x20 && c != 0x7f);
    }

    @Override
    public String toString() {
        return user + ":***";
    }
}
