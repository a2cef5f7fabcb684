package io.drover.coordinator.rpc;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a process job's environment and working directory. Names of variables the agent sets
 * itself ({@code DROVER_*}) are refused rather than silently overridden, so a job never runs with
 * a shard index it did not expect. A relative working directory is resolved inside the task's own
 * directory on the agent and must stay there.
 */
final class ProcessSettings {
    static final int MAX_VARIABLES = 1000;
    static final int MAX_PATH_CHARS = 4096;
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,255}");
    private static final String RESERVED_PREFIX = "DROVER_";

    private ProcessSettings() {
    }

    static void check(Map<String, String> environment, String workingDirectory, List<String> problems) {
        if (environment.size() > MAX_VARIABLES) {
            problems.add("environment has " + environment.size() + " variables, more than " + MAX_VARIABLES);
        }
        checkVariables("environment", environment, problems);
        if (workingDirectory != null) {
            if (workingDirectory.isBlank() || workingDirectory.length() > MAX_PATH_CHARS || workingDirectory.indexOf('\0') >= 0) {
                problems.add("workingDirectory must be 1.." + MAX_PATH_CHARS + " characters without NUL");
            } else if (!workingDirectory.startsWith("/") && List.of(workingDirectory.split("/")).contains("..")) {
                problems.add("workingDirectory '" + workingDirectory + "' is relative (to the task's directory) and must not contain '..'");
            }
        }
    }

    /** Secret variables: the same rules as plain ones, and no name in both (which value wins would be a guess). */
    static void checkSecrets(Map<String, String> secrets, Map<String, String> environment, List<String> problems) {
        if (secrets.size() + environment.size() > MAX_VARIABLES) {
            problems.add("environment and secretEnvironment have " + (secrets.size() + environment.size())
                    + " variables together, more than " + MAX_VARIABLES);
        }
        checkVariables("secret environment", secrets, problems);
        for (String name : secrets.keySet()) {
            if (environment.containsKey(name)) {
                problems.add("variable " + name + " is in both environment and secretEnvironment; give it once");
            }
        }
    }

    private static void checkVariables(String what, Map<String, String> variables, List<String> problems) {
        for (Map.Entry<String, String> e : variables.entrySet()) {
            String name = e.getKey();
            if (name == null || !NAME.matcher(name).matches()) {
                problems.add(what + " variable name '" + name + "' must be letters, digits and '_', not starting with a digit");
            } else if (name.startsWith(RESERVED_PREFIX)) {
                problems.add(what + " variable " + name + " is reserved: the agent sets DROVER_* variables itself");
            } else if (e.getValue() == null || e.getValue().indexOf('\0') >= 0) {
                problems.add(what + " variable " + name + " must have a value without NUL characters");
            }
        }
    }
}
