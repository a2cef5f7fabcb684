package io.drover.cli;

import picocli.CommandLine;

/**
 * Subcommands that another jar adds to {@code drover} (listed in its
 * {@code META-INF/services/io.drover.cli.CommandPlugin}); the benchmarks join this way.
 */
public interface CommandPlugin {
    void addTo(CommandLine drover);
}
