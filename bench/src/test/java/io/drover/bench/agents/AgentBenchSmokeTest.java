package io.drover.bench.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code drover bench agents} small: 200 simulated agents on a real coordinator process, 2,000
 * no-op tasks, each acknowledged exactly once. A smoke test of the harness, not a figure.
 */
class AgentBenchSmokeTest {
    @Test
    @Timeout(120)
    void twoHundredAgentsRunTwoThousandTasksEachAcknowledgedOnce() throws Exception {
        AgentBenchCommand bench = new AgentBenchCommand();
        bench.agents = 200;
        bench.tasks = 2_000;
        bench.idle = Duration.ofSeconds(2);
        bench.slots = 1;
        bench.pollWait = Duration.ofSeconds(1);
        bench.interval = Duration.ofSeconds(1);
        bench.selectors = 2;
        bench.joinConcurrency = 50;
        bench.leaderHeap = "256m";
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        AgentBenchCommand.Result r = bench.run(new PrintStream(printed, true, StandardCharsets.UTF_8));
        String out = printed.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        assertTrue(r.exactlyOnce(), out);
        assertEquals(2_000, r.verdict().tasks());
        assertTrue(r.verdict().maxPerAgent() > 0 && r.verdict().medianPerAgent() > 0, "spread over the agents: " + out);
        // 200 agents polling every second, parked a second each: close to 200 replies a second
        assertTrue(r.heartbeatsPerSecond() > 100, out);
        assertTrue(r.leaderCores() > 0, out);
    }
}
