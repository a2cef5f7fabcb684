package io.drover.agent.platform;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The agent's credentials never reach the code it runs: variables that carry a token, a key, a
 * password or the path of a file holding one are removed from the environment a process task or a
 * worker JVM inherits from the agent. Job code is less trusted than the agent: it could use them to
 * act as the agent, or as whoever started it.
 */
public final class CredentialVariables {
    /** Named in the CLI, the SDK and issue 13's design. */
    static final Set<String> NAMED = Set.of("DROVER_TOKEN", "DROVER_TOKEN_FILE", "DROVER_JOIN_TOKEN",
            "DROVER_JOIN_TOKEN_FILE", "DROVER_WORKER_TOKEN");
    /** Any other Drover variable that looks like a credential, so one added later is covered too. */
    private static final Pattern LOOKS_SECRET = Pattern.compile("DROVER_.*(TOKEN|SECRET|PASSWORD|PASSPHRASE|KEY|CREDENTIAL).*");

    private CredentialVariables() {
    }

    /** Removes every credential variable from {@code environment} (a ProcessBuilder's, before the task's own are added). */
    public static void strip(Map<String, String> environment) {
        environment.keySet().removeIf(CredentialVariables::isCredential);
    }

    static boolean isCredential(String name) {
        return NAMED.contains(name) || LOOKS_SECRET.matcher(name).matches();
    }
}
