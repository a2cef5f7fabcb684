package io.drover.coordinator.leader;

import java.util.Optional;

/** The RPC layer's view of leadership: the active term if this coordinator leads, else a hint. */
public interface Leadership {
    Optional<LeaderTerm> activeTerm();

    /** "host:port" of the current leader, if known. */
    Optional<String> leaderHint();

    String coordinatorId();
}
