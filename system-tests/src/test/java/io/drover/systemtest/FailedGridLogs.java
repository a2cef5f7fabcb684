package io.drover.systemtest;

import io.drover.bench.cluster.DroverProcess;
import io.drover.bench.cluster.ProcessCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a failed process test leaves behind for the person reading CI: every process's log copied to
 * {@code target/failed-grids/TEST/} (the test's temp directory is deleted), and the last lines of each printed
 * to the test's output. A fault test that fails once in many runs is only fixable from these.
 */
final class FailedGridLogs {
    private static final int TAIL_LINES = 40;

    private FailedGridLogs() {
    }

    static void keep(String test, ProcessCluster cluster) {
        Path into = Path.of("target", "failed-grids", test.replaceAll("[^A-Za-z0-9._-]", "_"));
        List<DroverProcess> processes = Stream.concat(cluster.coordinators().stream(), cluster.agents().stream()).toList();
        System.out.println("== failed: " + test + "; processes: " + cluster.describe() + "; logs kept in " + into.toAbsolutePath());
        for (DroverProcess p : processes) {
            try {
                Files.createDirectories(into);
                if (!Files.exists(p.log())) {
                    continue;
                }
                Files.copy(p.log(), into.resolve(p.log().getFileName()), StandardCopyOption.REPLACE_EXISTING);
                List<String> lines = Files.readAllLines(p.log());
                System.out.println("== last lines of " + p.log().getFileName());
                lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()).forEach(System.out::println);
            } catch (IOException | RuntimeException e) {
                // The test already failed; its own error is the one to report, this one is only printed.
                System.out.println("== could not keep " + p.log() + ": " + e);
            }
        }
    }
}
