package io.drover.agent.contain;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents' parent cgroups ({@code drover-agent-<id>-<tag>}) beside each other in one hierarchy:
 * which agent holds one, clearing one, and removing those agents killed with {@code kill -9} left
 * behind. An agent marks its parent with an empty child cgroup {@code agent-<pid>-<start ms>}
 * (a cgroup directory can hold no other file); a parent whose mark names no live process, and
 * in which no process is left, is abandoned. The kernel refuses to remove a cgroup that has
 * processes, so nothing that still runs is ever removed. A parent without a mark (made by an
 * earlier release, whose agent may still run, idle) is left alone; so is an agent's
 * {@code -jvm} leaf while the agent is in it.
 */
final class AgentCgroups {
    private static final Logger log = LoggerFactory.getLogger(AgentCgroups.class);
    static final String PREFIX = "drover-agent-";
    private static final String MARK = "agent-";
    /** How far a live process's start time may read differently from the one its mark recorded. */
    private static final long START_SLACK_MS = 2_000;

    private AgentCgroups() {
    }

    /** Marks {@code parent} as held by this JVM. */
    static void mark(Path parent) throws IOException {
        ProcessHandle self = ProcessHandle.current();
        long start = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        try {
            Files.createDirectory(parent.resolve(MARK + self.pid() + "-" + start));
        } catch (FileAlreadyExistsException e) {
            // marked already (a second containment in one JVM: tests)
        }
    }

    /**
     * Kills every member of every child cgroup of {@code parent}, then removes them: a previous run's
     * at start ({@code previousRun}, logged), this run's own idle ones at close.
     */
    static void clear(Path parent, boolean previousRun) throws IOException {
        for (Path child : children(parent)) {
            if (previousRun && !child.getFileName().toString().startsWith(MARK)) {
                log.info("removing cgroup {} of a previous agent run, with any process still in it", child);
            }
            AttemptCgroup.stale(child).close();
        }
    }

    /**
     * Removes the parents beside {@code own} (in {@code agentCgroup}) that agents no longer running
     * left: no live mark, no process in them or their children. Never fails: a parent that cannot be
     * removed stays.
     */
    static void removeAbandoned(Path agentCgroup, String own) {
        List<Path> siblings = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(agentCgroup, PREFIX + "*")) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (Files.isDirectory(entry) && !name.equals(own) && !name.equals(own + "-jvm")) {
                    siblings.add(entry);
                }
            }
        } catch (IOException e) {
            log.debug("cannot list {}: {}", agentCgroup, e.toString());
            return;
        }
        for (Path sibling : siblings) {
            try {
                List<Path> children = children(sibling);
                boolean marked = sibling.getFileName().toString().endsWith("-jvm")
                        || children.stream().anyMatch(c -> c.getFileName().toString().startsWith(MARK));
                // Unmarked: an agent of an earlier release, perhaps running (idle, its parent is empty): not ours to judge.
                if (!marked || children.stream().anyMatch(AgentCgroups::liveMark) || busy(sibling)
                        || children.stream().anyMatch(AgentCgroups::busy)) {
                    continue;
                }
                for (Path child : children) {
                    Files.delete(child);
                }
                Files.delete(sibling);
                log.info("removed cgroup {}, left empty by an agent no longer running", sibling);
            } catch (NoSuchFileException e) {
                // removed meanwhile (another agent starting)
            } catch (IOException e) {
                log.debug("left cgroup {} in place: {}", sibling, e.toString());
            }
        }
    }

    private static List<Path> children(Path parent) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, Files::isDirectory)) {
            entries.forEach(children::add);
        }
        return children;
    }

    /** Whether {@code dir} may hold processes: it lists some, or cannot be read. */
    private static boolean busy(Path dir) {
        try {
            return Files.readAllBytes(dir.resolve("cgroup.procs")).length > 0;
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean liveMark(Path child) {
        String name = child.getFileName().toString();
        if (!name.startsWith(MARK)) {
            return false;
        }
        String[] parts = name.substring(MARK.length()).split("-");
        try {
            long pid = Long.parseLong(parts[0]);
            long start = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            return process.isPresent() && process.get().info().startInstant()
                    .map(s -> start == 0 || Math.abs(s.toEpochMilli() - start) <= START_SLACK_MS).orElse(true);
        } catch (NumberFormatException e) {
            return true; // not ours to judge
        }
    }
}
