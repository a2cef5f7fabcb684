package io.drover.agent.exec;

import io.drover.agent.artifact.ArtifactCache;
import io.drover.agent.platform.PrivateFiles;
import io.drover.agent.task.UpstreamResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream results a process task reads through {@code DROVER_UPSTREAM_RESULTS}: a directory
 * with one file per upstream job holding its result's bytes (empty when it has none), named by the
 * job's id and, when that name is a plain file name used by no other upstream job, by its name too
 * (a hard link); and {@code index}, one line per upstream job: id, name and state, tab-separated.
 * Bounded: at most 16 upstream jobs, each result inline (at most 64 KiB) or a blob, linked read-only
 * from the agent's cache of upstream blobs (see {@link ResultFiles#leaseUpstream}). The directory
 * belongs to one attempt and goes when it ends.
 */
final class UpstreamFiles {
    private static final Logger log = LoggerFactory.getLogger(UpstreamFiles.class);

    private UpstreamFiles() {
    }

    static Path write(Path taskDir, long attemptId, List<UpstreamResult> upstream, ResultFiles results)
            throws IOException, InterruptedException {
        Path dir = PrivateFiles.directories(dir(taskDir, attemptId)).toAbsolutePath();
        Map<String, Integer> names = new HashMap<>();
        upstream.forEach(u -> u.name().ifPresent(n -> names.merge(n, 1, Integer::sum)));
        StringBuilder index = new StringBuilder();
        for (int i = 0; i < upstream.size(); i++) {
            UpstreamResult u = upstream.get(i);
            // A job id that is no plain file name (never, for the coordinator's ids) still needs a file to link from.
            Path file = dir.resolve(plainFileName(u.jobId()) ? u.jobId() : ".upstream-" + i);
            if (u.resultBlob().isPresent()) {
                try (ArtifactCache.Lease cached = results.leaseUpstream(u.jobId(), u.resultBlob().get())) {
                    linkReadOnly(file, cached.path());
                }
            } else {
                PrivateFiles.write(file, u.result().orElse(new byte[0]));
            }
            String name = u.name().orElse("");
            if (plainFileName(name) && names.get(name) == 1 && !name.equals(u.jobId()) && !name.equals("index")) {
                link(dir.resolve(name), file);
            }
            index.append(clean(u.jobId())).append('\t').append(clean(name)).append('\t')
                    .append(clean(u.state().orElse("UNKNOWN"))).append('\n');
        }
        PrivateFiles.write(dir.resolve("index"), index.toString().getBytes(StandardCharsets.UTF_8));
        return dir;
    }

    /** The attempt's upstream directory. */
    static Path dir(Path taskDir, long attemptId) {
        return taskDir.resolve("upstream-results-" + attemptId);
    }

    /** A file system without hard links (or a cache on another one) gets a copy. */
    private static void link(Path name, Path file) throws IOException {
        try {
            Files.createLink(name, file);
        } catch (UnsupportedOperationException | FileSystemException e) {
            try (InputStream in = Files.newInputStream(file); OutputStream out = Files.newOutputStream(PrivateFiles.file(name))) {
                in.transferTo(out); // created 0600 first: a plain copy would take the umask's mode
            }
        }
    }

    /**
     * The cached blob, linked (on disk once, and kept while the task runs even if the cache evicts it)
     * and read-only, so a task cannot write into the cache's copy by mistake; the cache re-hashes a
     * file on every lease anyway, so a copy changed on purpose is fetched again, never handed on.
     */
    private static void linkReadOnly(Path file, Path cached) throws IOException {
        Files.setPosixFilePermissions(cached, PosixFilePermissions.fromString("r--------"));
        link(file, cached);
    }

    /** Removes an attempt's upstream directory; what cannot be removed is logged (log retention sweeps it later). */
    static void remove(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("cannot remove the upstream results in {}: {}", dir, e.toString());
        }
    }

    private static boolean plainFileName(String s) {
        return s.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    }

    private static String clean(String s) {
        return s.replaceAll("[\\t\\n\\r]", " ");
    }
}
