package io.drover.coordinator.core;

/**
 * How the leader sees an agent. Soft state: rebuilt from heartbeats after a failover.
 *
 * <pre>
 *  ALIVE ──(no heartbeat for suspectAfter)──► SUSPECT ──(lostAfter)──► LOST
 *    ▲                                           │                      │
 *    └────────────── heartbeat ◄─────────────────┴──────────────────────┘ (re-register)
 * </pre>
 * A suspect agent gets no new work; a lost agent's attempts are re-queued. DRAINING is a flag
 * on top (no new work, running work finishes), shown as the state when the agent is alive.
 */
public enum AgentState {
    ALIVE, SUSPECT, LOST
}
