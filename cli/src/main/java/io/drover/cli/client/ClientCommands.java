package io.drover.cli.client;

import java.util.List;
import picocli.CommandLine;

/**
 * The client-side subcommands of {@code drover}, for the top-level command in dist to register:
 * {@code ClientCommands.addTo(rootCommandLine)}, or register {@link #classes()} one by one.
 */
public final class ClientCommands {
    private ClientCommands() {
    }

    /** submit, status, watch, logs, jobs, agents, cancel, drain, audit — in help order. */
    public static List<Class<? extends ClientCommand>> classes() {
        return List.of(SubmitCommand.class, StatusCommand.class, WatchCommand.class, LogsCommand.class, JobsCommand.class,
                AgentsCommand.class, CancelCommand.class, DrainCommand.class, AuditCommand.class);
    }

    /** Adds every client subcommand to {@code root}, named as in its {@code @Command}. */
    public static CommandLine addTo(CommandLine root) {
        for (Class<? extends ClientCommand> c : classes()) {
            root.addSubcommand(c);
        }
        root.addSubcommand(ScheduleCommand.class); // a group: add, list, show, pause, resume, remove, run-now
        root.addSubcommand(WorkflowCommand.class); // a group: submit
        root.addSubcommand(QuotaCommand.class); // a group: set, list, remove
        return root;
    }
}
