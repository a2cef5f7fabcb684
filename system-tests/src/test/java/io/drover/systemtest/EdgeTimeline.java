package io.drover.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The story of one edge scenario as the test output tells it: what the test did (with seconds since
 * the start and the wall clock, to line up with the logs), then what the coordinators noted about
 * the agent and what the agent logged about delivering its results.
 */
final class EdgeTimeline {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private final long t0 = System.currentTimeMillis();
    private final String scenario;

    EdgeTimeline(String scenario) {
        this.scenario = scenario;
        System.out.println("edge timeline [" + scenario + "]");
    }

    void say(String what) {
        System.out.printf("edge timeline [%s] +%5.1f s (%s): %s%n", scenario, (System.currentTimeMillis() - t0) / 1e3,
                LocalTime.now().format(CLOCK), what);
    }

    /** Prints the coordinators' operator notes about {@code agentId} and the agent's own delivery lines. */
    void logs(List<Path> coordinatorLogs, Path agentLog, String agentId) {
        for (Path log : coordinatorLogs) {
            System.out.println("edge timeline [" + scenario + "] " + log.getFileName() + " about " + agentId + ":");
            lines(log).stream().filter(l -> l.contains("agent " + agentId + " ") || l.contains("LEADER:")
                            || l.contains("stops leading") || l.matches(".*CoreLoop - job .*"))
                    .forEach(l -> System.out.println("    " + l));
        }
        System.out.println("edge timeline [" + scenario + "] " + agentLog.getFileName() + " (delivery):");
        lines(agentLog).stream().filter(l -> l.contains("results") || l.contains("registered again") || l.contains("offline")
                        || l.contains("reached after"))
                .forEach(l -> System.out.println("    " + l));
    }

    private static List<String> lines(Path log) {
        try {
            return Files.readAllLines(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
