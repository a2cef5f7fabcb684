package io.drover.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * Files only their owner may read: directories 0700, files 0600, whatever the process umask.
 * Each is created with those permissions (never written first and restricted after), so no other
 * user can open it in between. The umask can only take bits away; where it took the owner's, they
 * are put back before a byte is written.
 */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> OWNER_FILE = Set.copyOf(PosixFilePermissions.fromString("rw-------"));
    public static final Set<PosixFilePermission> OWNER_DIRECTORY = Set.copyOf(PosixFilePermissions.fromString("rwx------"));
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFiles() {
    }

    /** Creates {@code dir} (not its parents) 0700; fails if it exists. */
    public static void createDirectory(Path dir) throws IOException {
        Files.createDirectory(dir, attribute(OWNER_DIRECTORY));
        restore(dir, OWNER_DIRECTORY);
    }

    /** Creates {@code dir} 0700 (parents as the umask says) or, if it exists, takes group and others' access away. */
    public static void ensureDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            if (dir.getParent() != null) {
                Files.createDirectories(dir.getParent());
            }
            try {
                createDirectory(dir);
                return;
            } catch (FileAlreadyExistsException raced) {
                if (!Files.isDirectory(dir)) {
                    throw new IOException(dir + " exists and is not a directory; move it away", raced);
                }
            }
        }
        restore(dir, OWNER_DIRECTORY);
    }

    /** Creates {@code file} 0600 with {@code content}, flushed to disk; fails if it exists. */
    public static void write(Path file, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                attribute(OWNER_FILE))) {
            restore(file, OWNER_FILE);
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** Writes {@code content} to a new 0600 file beside {@code file} and renames it over {@code file} in one step. */
    public static void replace(Path file, byte[] content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            write(temp, content);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Refuses a file (or directory) that group or others may use, naming the chmod that fixes it.
     *
     * @throws IOException saying which file, its mode and the command to run
     */
    public static void checkPrivate(Path path) throws IOException {
        Set<PosixFilePermission> permissions = permissions(path);
        Set<PosixFilePermission> extra = EnumSet.noneOf(PosixFilePermission.class);
        extra.addAll(permissions);
        extra.retainAll(GROUP_OR_OTHERS);
        if (!extra.isEmpty()) {
            boolean directory = Files.isDirectory(path);
            throw new IOException(path + " is open to group or others (mode " + PosixFilePermissions.toString(permissions)
                    + "); it holds secrets: run 'chmod " + (directory ? "700 " : "600 ") + path + "'");
        }
    }

    /** The permissions of {@code path}, with a clear error on a file system without POSIX permissions. */
    public static Set<PosixFilePermission> permissions(Path path) throws IOException {
        try {
            return Files.getPosixFilePermissions(path);
        } catch (UnsupportedOperationException e) {
            throw new IOException(path + " is on a file system without POSIX permissions; keep secrets on one that has them", e);
        }
    }

    private static void restore(Path path, Set<PosixFilePermission> wanted) throws IOException {
        if (!permissions(path).equals(wanted)) {
            Files.setPosixFilePermissions(path, wanted);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.asFileAttribute(permissions);
    }
}
