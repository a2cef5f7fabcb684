package io.drover.agent.platform;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files and directories the agent creates are its own: directories 0700, files 0600, given as the
 * creation mode, so no umask widens them (a umask only takes bits away). Task output, results,
 * artifacts and the instance token must not be readable by other local users, whatever the
 * umask of the shell or service manager that started the agent.
 */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY_MODE = PosixFilePermissions.asFileAttribute(DIRECTORY);
    private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE = PosixFilePermissions.asFileAttribute(FILE);

    private PrivateFiles() {
    }

    /** Like {@link Files#createDirectories}, every directory it creates 0700; existing ones are left as they are. */
    public static Path directories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir; // one stat: the JDK would try mkdir and build two exceptions first (per task, on the hot path)
        }
        return Files.createDirectories(dir, DIRECTORY_MODE);
    }

    /**
     * The agent's work dir: created 0700, and an existing one narrowed to 0700 (an older release
     * made it with the umask's mode).
     */
    public static Path workDir(Path dir) throws IOException {
        directories(dir);
        if (!Files.getPosixFilePermissions(dir).equals(DIRECTORY)) {
            Files.setPosixFilePermissions(dir, DIRECTORY);
        }
        return dir;
    }

    /** Creates an empty 0600 file unless it exists (then its mode is left alone), for a classic stream to open. */
    public static Path file(Path file) throws IOException {
        try {
            Files.createFile(file, FILE_MODE);
        } catch (FileAlreadyExistsException e) {
            // written before: whoever created it chose its mode (this class, for the agent's own files)
        }
        return file;
    }

    /** Creates or truncates {@code file} (0600 when created) and writes {@code bytes}. */
    public static void write(Path file, byte[] bytes) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(file, EnumSet.of(StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), FILE_MODE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    /** {@link #write} of UTF-8 text. */
    public static void writeString(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The creation mode for {@code FileChannel.open} and {@code Files.newByteChannel}. */
    public static FileAttribute<Set<PosixFilePermission>> fileMode() {
        return FILE_MODE;
    }
}
