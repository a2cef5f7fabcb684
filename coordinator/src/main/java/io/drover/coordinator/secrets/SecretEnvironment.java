package io.drover.coordinator.secrets;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A process job's secret environment as the coordinator handles it: sealed at the edge before the
 * job reaches the core (so the fact log in ZooKeeper holds only ciphertext), opened only into the
 * descriptor for an agent that runs the job, and shown to clients as names with {@value #MASK}.
 */
public final class SecretEnvironment {
    public static final String MASK = "***";

    private SecretEnvironment() {
    }

    /** Every value sealed; names kept. */
    public static Map<String, String> seal(Map<String, String> plain, SecretSealer sealer) {
        Map<String, String> sealed = new LinkedHashMap<>();
        plain.forEach((name, value) -> sealed.put(name, sealer.seal(value)));
        return Collections.unmodifiableMap(sealed);
    }

    /**
     * Every value opened.
     *
     * @throws IllegalArgumentException naming the variable whose value does not open under this key
     */
    public static Map<String, String> open(Map<String, String> sealed, SecretSealer sealer) {
        Map<String, String> plain = new LinkedHashMap<>();
        sealed.forEach((name, value) -> {
            try {
                plain.put(name, sealer.open(value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("secret variable " + name + " does not open with this coordinator's "
                        + "secrets key (" + e.getMessage() + "); do all coordinators share one secrets directory?", e);
            }
        });
        return Collections.unmodifiableMap(plain);
    }

    /** Names with every value replaced by {@value #MASK}: what clients may see. */
    public static Map<String, String> masked(Map<String, String> secrets) {
        Map<String, String> masked = new LinkedHashMap<>();
        secrets.keySet().forEach(name -> masked.put(name, MASK));
        return masked;
    }

    /** Whether {@code value} has the sealed form's prefix (it may still fail to open). */
    public static boolean looksSealed(String value) {
        return value != null && value.startsWith(SecretSealer.PREFIX);
    }
}
