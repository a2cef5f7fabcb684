package io.drover.cli.client;

import io.drover.cli.options.VersionProvider;

import io.drover.sdk.DroverClient;
import io.drover.web.api.dto.Dtos;
import io.drover.sdk.ScheduleRun;
import io.drover.sdk.ScheduleStatus;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover schedule add|list|show|pause|resume|remove|run-now}: cron schedules. */
@Command(name = "schedule", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Cron schedules: every fire time starts one run of a job, exactly once, across failovers.",
        subcommands = {ScheduleAddCommand.class, ScheduleCommand.ListSchedules.class, ScheduleCommand.Show.class,
            ScheduleCommand.Pause.class, ScheduleCommand.Resume.class, ScheduleCommand.Remove.class,
            ScheduleCommand.RunNow.class})
public final class ScheduleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Without a subcommand: the usage, and the exit code of an invalid request. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ClientCommand.INVALID;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "List schedules: cron, zone, state, next fire, last run, policies.",
            exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the answer was printed",
            "2:bad usage, or the request was refused",
            "3:no leading coordinator answered",
            "5:any other error",
            "6:permission denied (no token, a refused one, or a role that may not read this)"})
    static final class ListSchedules extends ClientCommand {
        @picocli.CommandLine.Mixin
        OutputOption output;

        @Override
        protected int run(DroverClient client) {
            if (output.json()) {
                OutputOption.print(out(), client.schedules().stream().map(Dtos::schedule).toList());
                return OK;
            }
            out().print(ScheduleFormat.list(client.schedules()));
            return OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "A schedule's definition, next fire times and run history (newest first).",
            exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the answer was printed",
            "2:bad usage, or the request was refused",
            "3:no leading coordinator answered",
            "5:any other error",
            "6:permission denied (no token, a refused one, or a role that may not read this)"})
    static final class Show extends ClientCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @picocli.CommandLine.Mixin
        OutputOption output;

        @Override
        protected int run(DroverClient client) {
            if (output.json()) {
                OutputOption.print(out(), Dtos.schedule(client.schedule(name)));
                return OK;
            }
            out().print(ScheduleFormat.show(client.schedule(name), Clock.systemUTC().instant()));
            return OK;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Stop firing until resumed.")
    static final class Pause extends ClientCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        protected int run(DroverClient client) {
            client.pauseSchedule(name);
            out().println("schedule " + SafeText.of(name) + " paused");
            return OK;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Fire again; times missed while paused follow the misfire policy.")
    static final class Resume extends ClientCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        protected int run(DroverClient client) {
            ScheduleStatus s = client.resumeSchedule(name);
            out().println("schedule " + SafeText.of(name) + " resumed" + (s.nextFireTimes().isEmpty() ? ""
                    : "; next fire " + ScheduleFormat.time(s.nextFireTimes().get(0), s.spec().zone())));
            return OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Remove a schedule; runs already started go on.")
    static final class Remove extends ClientCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        protected int run(DroverClient client) {
            client.removeSchedule(name);
            out().println("schedule " + SafeText.of(name) + " removed");
            return OK;
        }
    }

    @Command(name = "run-now", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Start one run now, outside the cron times, and print its job id.")
    static final class RunNow extends ClientCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        protected int run(DroverClient client) {
            ScheduleRun r = client.runScheduleNow(name);
            if (r.workflowJobs().isEmpty()) {
                out().println(SafeText.of(r.jobId().orElse("-")));
            } else { // a workflow schedule: each job of the run, as 'drover workflow submit' prints them
                TextTable table = new TextTable("NAME", "JOB");
                r.workflowJobs().forEach((n, id) -> table.row(n, id));
                out().print(table.render());
            }
            return OK;
        }
    }
}
