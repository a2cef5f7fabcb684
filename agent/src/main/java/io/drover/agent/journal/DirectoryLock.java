package io.drover.agent.journal;

import io.drover.agent.platform.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exclusive OS lock on {@code <dir>/lock}, so two agents (processes, or two in one JVM) never
 * share a journal. The OS drops it when the process dies, so a crash leaves no stale lock; the
 * lock file itself stays (deleting it would race with the next owner).
 */
final class DirectoryLock implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DirectoryLock.class);
    private static final String LOCK_NAME = "lock";

    private final Path dir;
    private final FileLock lock;

    private DirectoryLock(Path dir, FileLock lock) {
        this.dir = dir;
        this.lock = lock;
    }

    /** @throws IOException when the directory is locked by someone else, or the lock file cannot be made */
    static DirectoryLock acquire(Path dir) throws IOException {
        Path path = dir.resolve(LOCK_NAME);
        FileChannel channel = FileChannel.open(path, java.util.EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                PrivateFiles.fileMode());
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new DirectoryLock(dir, lock);
            }
        } catch (OverlappingFileLockException e) {
            // held by another journal in this JVM: same answer as another process
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        channel.close();
        throw new IOException("result journal " + dir + " is in use by another agent (" + path
                + " is locked); each agent needs its own work directory");
    }

    @Override
    public void close() {
        try {
            lock.release();
            lock.channel().close();
        } catch (IOException e) {
            log.warn("releasing the lock on {} failed: {}", dir, e.toString());
        }
    }
}
