package io.drover.systemtest;

import io.drover.sdk.AgentStatus;
import io.drover.sdk.Credentials;
import io.drover.sdk.DroverClient;
import io.drover.sdk.DroverException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls the leader's view of one agent in the background and keeps every change of its state, so
 * a test can say "it stayed ALIVE throughout" (no ALIVE -> SUSPECT -> ALIVE flapping) from what an
 * operator would have seen, not only from the end result. Polls that fail (failover) are skipped.
 */
final class AgentStateWatch implements AutoCloseable {
    private final DroverClient client;
    private final String agentId;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agent-state-watch");
        t.setDaemon(true);
        return t;
    });
    private final List<String> states = new ArrayList<>(); // guarded by this
    private int polls; // guarded by this

    AgentStateWatch(String endpoints, Credentials credentials, String agentId, Duration every) {
        this.client = DroverClient.builder().endpoints(endpoints).credentials(credentials).retryDeadline(Duration.ofSeconds(5)).build();
        this.agentId = agentId;
        poller.scheduleWithFixedDelay(this::poll, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            String state = client.agents().stream().filter(a -> a.agentId().equals(agentId)).map(AgentStatus::state)
                    .findFirst().orElse("UNKNOWN");
            synchronized (this) {
                polls++;
                if (states.isEmpty() || !states.get(states.size() - 1).equals(state)) {
                    states.add(state);
                }
            }
        } catch (DroverException e) {
            // no leader for a moment: nothing seen, nothing recorded
        }
    }

    /** The states seen, each change once: [ALIVE] for an agent that never wavered. */
    synchronized List<String> states() {
        return List.copyOf(states);
    }

    synchronized int polls() {
        return polls;
    }

    @Override
    public void close() {
        poller.shutdownNow();
        client.close();
    }
}
