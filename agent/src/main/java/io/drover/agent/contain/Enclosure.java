package io.drover.agent.contain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What keeps one attempt's processes together: made before the attempt's command starts, closed
 * once the attempt is over (whatever is left of it is killed then, where the mechanism can find it).
 */
public interface Enclosure extends AutoCloseable {
    /** The command line that starts {@code command} inside the enclosure, before any of its code runs. */
    List<String> launch(List<String> command);

    /**
     * For a launcher that puts the command in the enclosure itself (the native one): the {@code cgroup.procs}
     * files its first process writes itself into before the exec; none where membership is not a cgroup's.
     */
    default List<Path> memberFiles() {
        return List.of();
    }

    /** Adds what the attempt's processes must inherit. */
    void environment(Map<String, String> env);

    /**
     * Stops the attempt: SIGTERM to all of it, up to {@code grace} to end, then SIGKILL until
     * nothing is left. Not cut short by an interrupt; the caller's interrupt flag is kept.
     */
    void stop(Process leader, Duration grace);

    /**
     * The command exited by itself: kill what it left where the mechanism lists that for free
     * (its cgroup); otherwise leave it (a process-table scan per task would cost more than a task).
     */
    void ended(Process leader);

    /**
     * The command exited by itself and its output is still held open after a short drain: kill
     * what it left that the mechanism can reach cheaply.
     */
    void killLeftovers(Process leader);

    /** After the command ended: the limit that killed or crippled it, if one did ("killed: over its memory limit of 64 MiB"). */
    Optional<String> limitHit();

    /** Kills whatever is still in the enclosure and removes it. */
    @Override
    void close();
}
