package io.drover.agent.task;

import java.util.Objects;
import java.util.Optional;

/**
 * What running one attempt produced: an outcome, the encoded value when it succeeded, and an
 * error text an operator can act on otherwise.
 */
public record Execution(TaskOutcome outcome, Optional<byte[]> value, Optional<String> error) {
    public Execution {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(error, "error");
        if (outcome == TaskOutcome.SUCCEEDED && value.isEmpty()) {
            throw new IllegalArgumentException("a SUCCEEDED execution needs a value");
        }
    }

    public static Execution succeeded(byte[] value) {
        return new Execution(TaskOutcome.SUCCEEDED, Optional.of(value), Optional.empty());
    }

    public static Execution failed(String error) {
        return withError(TaskOutcome.FAILED, error);
    }

    public static Execution rejected(String error) {
        return withError(TaskOutcome.REJECTED, error);
    }

    public static Execution withError(TaskOutcome outcome, String error) {
        return new Execution(outcome, Optional.empty(), Optional.of(error));
    }
}
