package io.drover.examples.client;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The few {@code --name value} options the example runners take. Unknown options are an error
 * naming them, so a typo never silently falls back to a default.
 */
final class RunnerArgs {
    private final Map<String, String> values;

    private RunnerArgs(Map<String, String> values) {
        this.values = values;
    }

    /** Like {@link #parse}, but prints the problem and exits with status 2 instead of throwing. */
    static RunnerArgs parseOrExit(String[] args, Set<String> jobOptions) {
        try {
            return parse(args, jobOptions);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            throw e; // not reached
        }
    }

    /** @throws IllegalArgumentException for an unknown option or one without a value */
    static RunnerArgs parse(String[] args, Set<String> jobOptions) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            boolean known = name.equals("--coordinators") || name.equals("--jar") || name.equals("--shards")
                    || jobOptions.contains(name);
            if (!known) {
                throw new IllegalArgumentException("unknown option " + name + " (known: --coordinators, --jar, --shards, "
                        + String.join(", ", jobOptions) + ")");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            values.put(name, args[++i]);
        }
        return new RunnerArgs(values);
    }

    String coordinators() {
        String env = System.getenv("DROVER_COORDINATORS");
        return values.getOrDefault("--coordinators", env != null && !env.isBlank() ? env : "127.0.0.1:7420");
    }

    Path jar() {
        return Path.of(values.getOrDefault("--jar", "job-examples/target/drover-job-examples.jar"));
    }

    int shards(int fallback) {
        return (int) Math.min(Integer.MAX_VALUE, number("--shards", fallback));
    }

    /** @throws IllegalArgumentException naming the option when its value is not a whole number */
    long number(String option, long fallback) {
        String value = values.get(option);
        try {
            return value == null ? fallback : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, was '" + value + "'", e);
        }
    }

    /** @throws IllegalArgumentException naming the option when its value is not a number */
    double decimal(String option, double fallback) {
        String value = values.get(option);
        try {
            return value == null ? fallback : Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, was '" + value + "'", e);
        }
    }

    String get(String option, String fallback) {
        return values.getOrDefault(option, fallback);
    }
}
