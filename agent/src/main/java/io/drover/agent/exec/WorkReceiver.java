package io.drover.agent.exec;

import io.drover.agent.task.AttemptRef;
import io.drover.agent.task.TaskAssignment;
import java.util.List;
import java.util.Set;

/** What the heartbeat side may do with the task side: hand it work, cancel work, ask what runs. */
public interface WorkReceiver {
    /** Accepts an assignment; a repeated one (same attempt id) is ignored. */
    void assign(TaskAssignment assignment);

    /** Cancels an attempt; unknown or already finished attempts are ignored. */
    void cancel(long attemptId);

    /** Attempts accepted and not yet finished. */
    List<AttemptRef> running();

    /** The attempts among {@link #running} accepted beyond the slots (queue-ahead) and not started yet. */
    default Set<Long> queued() {
        return Set.of();
    }

    int freeSlots();
}
