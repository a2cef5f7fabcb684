package io.drover.cli.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removes the scratch directories of local clusters, benchmarks and tests. */
public final class Directories {
    private Directories() {
    }

    /** Deletes a directory tree, deepest entries first. */
    public static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cleaning " + root, e);
        }
    }
}
