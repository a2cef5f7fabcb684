package io.drover.bench;

import io.drover.cli.CommandPlugin;
import io.drover.bench.agents.AgentBenchCommand;
import io.drover.bench.fuzz.FuzzBenchCommand;
import picocli.CommandLine;

/** Adds the {@code drover bench*} commands when this jar is on the class path. */
public final class BenchCommands implements CommandPlugin {
    @Override
    public void addTo(CommandLine drover) {
        drover.addSubcommand(new CommandLine(new BenchCommand()).addSubcommand(new AgentBenchCommand()));
        drover.addSubcommand(new FaultBenchCommand());
        drover.addSubcommand(new ScheduleBenchCommand());
        drover.addSubcommand(new FreezeBenchCommand());
        drover.addSubcommand(new FuzzBenchCommand());
        drover.addSubcommand(new TlsBenchCommand());
        drover.addSubcommand(new io.drover.bench.core.CoreBenchCommand());
        drover.addSubcommand(new AgentMemoryBenchCommand());
        drover.addSubcommand(new io.drover.bench.million.MillionBenchCommand());
        drover.addSubcommand(new PlacementBenchCommand());
        drover.addSubcommand(new StragglerBenchCommand());
        drover.addSubcommand(new ResultBenchCommand());
        drover.addSubcommand(new LaunchBenchCommand());
    }
}
