package io.drover.agent.jobcode;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an encoded result over the inline limit goes instead (a file in the attempt's directory), and
 * the largest result accepted at all: larger ones are rejected, since the same code would produce
 * the same size again.
 */
public record ResultSpill(Path path, long maxBytes) {
    public ResultSpill {
        Objects.requireNonNull(path, "path");
    }
}
