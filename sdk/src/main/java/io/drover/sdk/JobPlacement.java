package io.drover.sdk;

import java.util.List;
import java.util.Optional;

/**
 * A job's placement as the coordinator reports it.
 *
 * @param constraints the job's constraints over agent labels, as text ({@code gpu in (a100,h100)})
 * @param spreadLabel the agent label its running tasks are balanced across, if any
 * @param waiting why its tasks wait, when no agent taking work could ever run one of them (which
 *        constraint and how many agents fail it, too few slots, too little memory, no agent at
 *        all); empty while some agent could
 * @param queueWait why its ready tasks wait although agents could run them: the owner's quota, other
 *        owners' fair share, or no free slot (empty when none is ready, or from an older coordinator)
 */
public record JobPlacement(List<String> constraints, Optional<String> spreadLabel, Optional<String> waiting,
                           Optional<QueueWait> queueWait) {
    /** No constraints, no spread, not waiting for placement. */
    public static final JobPlacement NONE = new JobPlacement(List.of(), Optional.empty(), Optional.empty());

    /**
     * Copies the list; a null queue wait reads as none.
     *
     * @param constraints see the record's components
     * @param spreadLabel see the record's components
     * @param waiting see the record's components
     * @param queueWait see the record's components
     */
    public JobPlacement {
        constraints = List.copyOf(constraints);
        queueWait = queueWait == null ? Optional.empty() : queueWait;
    }

    /**
     * Without a queue wait.
     *
     * @param constraints see the record's components
     * @param spreadLabel see the record's components
     * @param waiting see the record's components
     */
    public JobPlacement(List<String> constraints, Optional<String> spreadLabel, Optional<String> waiting) {
        this(constraints, spreadLabel, waiting, Optional.empty());
    }
}
