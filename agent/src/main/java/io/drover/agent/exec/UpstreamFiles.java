package io.drover.agent.exec;

import io.drover.agent.platform.PrivateFiles;
import io.drover.agent.task.UpstreamResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The upstream results a process task reads through {@code DROVER_UPSTREAM_RESULTS}: a directory
 * with one file per upstream job holding its result's bytes (empty when it has none), named by the
 * job's id and, when that name is a plain file name used by no other upstream job, by its name too;
 * and {@code index}, one line per upstream job: id, name and state, tab-separated. Bounded: at most
 * 16 upstream jobs, each result at most the coordinator's result cap (64 KiB).
 */
final class UpstreamFiles {
    private UpstreamFiles() {
    }

    static Path write(Path taskDir, long attemptId, List<UpstreamResult> upstream) throws IOException {
        Path dir = PrivateFiles.directories(taskDir.resolve("upstream-results-" + attemptId)).toAbsolutePath();
        Map<String, Integer> names = new HashMap<>();
        upstream.forEach(u -> u.name().ifPresent(n -> names.merge(n, 1, Integer::sum)));
        StringBuilder index = new StringBuilder();
        for (UpstreamResult u : upstream) {
            byte[] bytes = u.result().orElse(new byte[0]);
            if (plainFileName(u.jobId())) {
                PrivateFiles.write(dir.resolve(u.jobId()), bytes);
            }
            String name = u.name().orElse("");
            if (plainFileName(name) && names.get(name) == 1 && !name.equals(u.jobId()) && !name.equals("index")) {
                PrivateFiles.write(dir.resolve(name), bytes);
            }
            index.append(clean(u.jobId())).append('\t').append(clean(name)).append('\t')
                    .append(clean(u.state().orElse("UNKNOWN"))).append('\n');
        }
        PrivateFiles.write(dir.resolve("index"), index.toString().getBytes(StandardCharsets.UTF_8));
        return dir;
    }

    private static boolean plainFileName(String s) {
        return s.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    }

    private static String clean(String s) {
        return s.replaceAll("[\\t\\n\\r]", " ");
    }
}
