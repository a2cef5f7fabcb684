package io.drover.coordinator.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The leader's soft view of one agent. */
final class AgentRecord {
    final String id;
    String host;
    int slots;
    Map<String, String> labels;
    /** Bound on the artifact hashes remembered per agent (what it reported, then what it was sent). */
    static final int MAX_CACHED_ARTIFACTS = 256;
    /** Artifacts it holds, as far as this leader knows: a placement preference, never a requirement. */
    final Set<String> cachedArtifacts = new LinkedHashSet<>();
    /** The memory it offers tasks, as it registered (0: not told). */
    long memoryMb;
    /** The release it said it runs at its last registration with this leader, or null. */
    String softwareVersion;
    AgentState state = AgentState.ALIVE;
    boolean adminDrained;
    boolean selfDraining;
    long lastSeenMs;
    int usedSlots;
    long completed;
    final Set<Long> attempts = new LinkedHashSet<>();
    final List<Long> pendingCancels = new ArrayList<>();
    /** Request id of a parked long poll, or -1. */
    long parkedRequest = -1;
    long parkedDeadlineMs;
    /** The shell has something for this agent (log requests): answer its next long poll at once. */
    boolean wakeRequested;
    /** Known from durable facts after a failover and not heard from yet by this leader. */
    boolean awaitingRecovery;
    /** When its connection dropped with no heartbeat since, or 0. */
    long disconnectedAtMs;
    /** While not ALIVE: the next time one of its attempts is due to be re-queued (0: work it out). */
    long nextRequeueAtMs;
    /** Attempts re-queued when it became LOST, for the operator's view. */
    int requeuedWhenLost;
    /** A durable {@link Fact.AgentSilent} names its attempts; an {@link Fact.AgentHeard} must follow when it is back. */
    boolean silenceRecorded;

    AgentRecord(String id, String host, int slots, Map<String, String> labels, long nowMs) {
        this.id = id;
        this.host = host;
        this.slots = slots;
        this.labels = Map.copyOf(labels);
        this.lastSeenMs = nowMs;
    }

    String pool() {
        return labels.get(DisconnectPolicy.POOL_LABEL);
    }

    boolean draining() {
        return adminDrained || selfDraining;
    }

    boolean acceptsWork() {
        return state == AgentState.ALIVE && !draining();
    }

    int freeSlots() {
        return Math.max(0, slots - usedSlots);
    }

    /** Remembers that it holds {@code sha256}; the oldest entry goes when the bound is reached. */
    void noteArtifact(String sha256) {
        if (sha256 == null || !cachedArtifacts.add(sha256)) {
            return;
        }
        if (cachedArtifacts.size() > MAX_CACHED_ARTIFACTS) {
            var it = cachedArtifacts.iterator();
            it.next();
            it.remove();
        }
    }

    boolean holdsArtifact(String sha256) {
        return sha256 != null && cachedArtifacts.contains(sha256);
    }

    boolean isParked() {
        return parkedRequest >= 0;
    }
}
