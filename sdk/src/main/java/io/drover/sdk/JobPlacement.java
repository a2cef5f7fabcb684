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
 */
public record JobPlacement(List<String> constraints, Optional<String> spreadLabel, Optional<String> waiting) {
    /** No constraints, no spread, not waiting for placement. */
    public static final JobPlacement NONE = new JobPlacement(List.of(), Optional.empty(), Optional.empty());

    /**
     * Copies the list.
     *
     * @param constraints see the record's components
     * @param spreadLabel see the record's components
     * @param waiting see the record's components
     */
    public JobPlacement {
        constraints = List.copyOf(constraints);
    }
}
