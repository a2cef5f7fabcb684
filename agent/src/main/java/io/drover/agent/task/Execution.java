package io.drover.agent.task;

import java.util.Objects;
import java.util.Optional;

/**
 * What running one attempt produced: an outcome, the encoded value when it succeeded, an error
 * text an operator can act on otherwise, and the name of the job's result codec when job code
 * encoded the value (JVM tasks), so clients can print it in that codec. A value too large to report
 * inline is a {@code blob} already stored on the coordinator instead.
 */
public record Execution(TaskOutcome outcome, Optional<byte[]> value, Optional<String> error,
                        Optional<String> resultCodec, Optional<ResultBlob> blob) {
    public Execution {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(resultCodec, "resultCodec");
        Objects.requireNonNull(blob, "blob");
        if (outcome == TaskOutcome.SUCCEEDED && value.isEmpty() == blob.isEmpty()) {
            throw new IllegalArgumentException("a SUCCEEDED execution needs a value or a blob, not both");
        }
    }

    public Execution(TaskOutcome outcome, Optional<byte[]> value, Optional<String> error,
                     Optional<String> resultCodec) {
        this(outcome, value, error, resultCodec, Optional.empty());
    }

    public Execution(TaskOutcome outcome, Optional<byte[]> value, Optional<String> error) {
        this(outcome, value, error, Optional.empty());
    }

    /** A success whose value, too large to report inline, is stored as {@code blob} (codec as below). */
    public static Execution succeededAsBlob(ResultBlob blob, String codec) {
        return new Execution(TaskOutcome.SUCCEEDED, Optional.empty(), Optional.empty(), Optional.ofNullable(codec),
                Optional.of(blob));
    }

    public static Execution succeeded(byte[] value) {
        return new Execution(TaskOutcome.SUCCEEDED, Optional.of(value), Optional.empty());
    }

    /** A success whose value {@code codec} encoded (null: not known). */
    public static Execution succeeded(byte[] value, String codec) {
        return new Execution(TaskOutcome.SUCCEEDED, Optional.of(value), Optional.empty(), Optional.ofNullable(codec));
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
