package io.drover.bench;

import io.drover.cli.CommandPlugin;
import picocli.CommandLine;

/** Adds {@code drover bench}, {@code bench-faults} and {@code bench-schedule} when this jar is on the class path. */
public final class BenchCommands implements CommandPlugin {
    @Override
    public void addTo(CommandLine drover) {
        drover.addSubcommand(new BenchCommand());
        drover.addSubcommand(new FaultBenchCommand());
        drover.addSubcommand(new ScheduleBenchCommand());
    }
}
