package io.drover.cli.server;

import io.drover.coordinator.core.DisconnectPolicy;
import io.drover.cli.options.DurationConverter;
import java.util.Map;

/**
 * Parses {@code --pool-policy POOL=LOST_AFTER[/GRACE][/stop=STOP_AFTER]}:
 * <ul>
 *   <li>LOST_AFTER: silence after which the pool's agents' attempts run elsewhere;</li>
 *   <li>GRACE: after a dropped connection, how long before the same (default: LOST_AFTER);</li>
 *   <li>stop=STOP_AFTER: an agent that cannot reach a coordinator this long stops its tasks
 *       (default: it keeps running them however long the outage).</li>
 * </ul>
 * Example: {@code edge=2h/30m/stop=4h}. Durations as {@link DurationConverter} reads them.
 */
final class PoolPolicySpec {
    static final String SYNTAX = "POOL=LOST_AFTER[/GRACE][/stop=STOP_AFTER]";

    private PoolPolicySpec() {
    }

    /** @throws IllegalArgumentException naming the spec and what is wrong with it */
    static Map.Entry<String, DisconnectPolicy> parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new IllegalArgumentException("--pool-policy '" + spec + "' is not " + SYNTAX);
        }
        String pool = spec.substring(0, eq).trim();
        String[] parts = spec.substring(eq + 1).split("/");
        try {
            long lost = millis(parts[0]);
            Long grace = null;
            long stop = 0;
            for (int i = 1; i < parts.length; i++) {
                String part = parts[i].trim();
                if (part.startsWith("stop=")) {
                    stop = millis(part.substring("stop=".length()));
                    if (stop <= 0) {
                        throw new IllegalArgumentException("stop= must be more than 0 (leave it out to keep tasks running)");
                    }
                } else if (grace == null && i == 1) {
                    grace = millis(part);
                } else {
                    throw new IllegalArgumentException("'" + part + "' is neither GRACE (second) nor stop=DURATION");
                }
            }
            return Map.entry(pool, new DisconnectPolicy(lost, grace == null ? lost : grace, stop));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--pool-policy '" + spec + "' (" + SYNTAX + "): " + e.getMessage(), e);
        }
    }

    private static long millis(String text) {
        return DurationConverter.parse(text).toMillis();
    }
}
