package io.drover.cli;

import io.drover.cli.demo.DemoCommand;

import io.drover.cli.server.AgentCommand;
import io.drover.cli.server.CoordinatorCommand;
import io.drover.cli.client.ClientCommands;
import io.drover.cli.client.SafeText;
import io.drover.cli.init.InitCommand;
import io.drover.cli.options.VersionProvider;
import io.drover.cli.security.CaCommand;
import io.drover.cli.security.TokenCommand;
import java.io.PrintWriter;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** The {@code drover} command: every subcommand of the product in one place. */
@Command(name = "drover", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Drover grid job scheduler: coordinators elected on ZooKeeper hand job shards to agents.",
        subcommands = {DemoCommand.class, CoordinatorCommand.class, AgentCommand.class})
public final class DroverCli {
    private DroverCli() {
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new DroverCli());
        ClientCommands.addTo(cl);
        cl.addSubcommand(CaCommand.class).addSubcommand(TokenCommand.class);
        cl.addSubcommand(InitCommand.class); // drover init: a new job project
        // Commands from other jars on the class path (the benchmarks in drover-bench) join through ServiceLoader,
        // so this module need not depend on them.
        ServiceLoader.load(CommandPlugin.class).forEach(plugin -> plugin.addTo(cl));
        return configured(cl);
    }

    /**
     * {@code drover agent} alone: an agent lives for months with its command line in memory, so it
     * does not load and keep the model of every other command (about 50 classes and 400 options).
     */
    static CommandLine agentCommandLine() {
        return configured(new CommandLine(new AgentOnly()));
    }

    @Command(name = "drover", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            subcommands = AgentCommand.class)
    static final class AgentOnly {
    }

    private static CommandLine configured(CommandLine cl) {
        // Picocli would replace any argument starting with '@' by that file's contents: a job argument
        // like '--arg @home' must reach the job as typed.
        cl.setExpandAtFiles(false);
        // '--misfire skip' means SKIP: every enum option takes its values in any case.
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // A usage error is the error and where to read more, not the whole usage text.
        cl.setParameterExceptionHandler(DroverCli::usageError);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("drover: " + SafeText.of(ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            return 1;
        });
        return cl;
    }

    /** Prints a parse error as {@code drover: <error>} and one line pointing at the command's help. */
    static int usageError(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("drover: " + SafeText.of(message(ex)));
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static String message(ParameterException ex) {
        // Picocli says "Value for option option '--label' (KEY=VALUE) should be in KEY=VALUE format but was zone".
        if (ex.getArgSpec() instanceof OptionSpec option && option.isMultiValue() && ex.getValue() != null
                && String.valueOf(ex.getMessage()).contains("should be in KEY=VALUE format")) {
            return option.longestName() + " takes " + option.paramLabel() + ", got '" + ex.getValue() + "'";
        }
        return ex.getMessage() != null ? ex.getMessage() : ex.toString();
    }

    public static void main(String[] args) {
        // Agents start a process per process task. The JDK's default on Linux (posix_spawn through
        // the jspawnhelper binary) costs an extra exec per process: measured here 49 vs 176 starts
        // of /bin/true per second. VFORK is the JDK's supported alternative; an explicit setting wins.
        if (System.getProperty("jdk.lang.Process.launchMechanism") == null) {
            System.setProperty("jdk.lang.Process.launchMechanism", "VFORK");
        }
        // The JDK's HTTP server (coordinator and agent --http-listen) writes a response's headers and body
        // separately; without TCP_NODELAY, Nagle's algorithm and the client's delayed ACK add about 40 ms to
        // every response (measured: 49 ms vs 6.6 ms per GET /api/v1/whoami). Read once, when the first
        // server starts, hence here.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        boolean agent = args.length > 0 && args[0].equals("agent");
        int code = (agent ? agentCommandLine() : commandLine()).execute(args);
        System.exit(code);
    }
}
