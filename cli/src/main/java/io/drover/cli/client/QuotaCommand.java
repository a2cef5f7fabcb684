package io.drover.cli.client;

import io.drover.cli.options.VersionProvider;
import io.drover.sdk.DroverClient;
import io.drover.sdk.Quota;
import io.drover.web.api.dto.Dtos;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover quota set|list|remove}: per-owner caps of running tasks and fair-share weights. */
@Command(name = "quota", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Per-owner quotas: a cap of running tasks across an owner's jobs and a fair-share weight. "
                + "Owner '*' is the default for owners without an entry.",
        subcommands = {QuotaCommand.Set.class, QuotaCommand.ListQuotas.class, QuotaCommand.Remove.class})
public final class QuotaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Without a subcommand: the usage, and the exit code of an invalid request. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ClientCommand.INVALID;
    }

    @Command(name = "set", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Set an owner's quota (operator or admin). Options not given keep the entry's value "
                    + "(a new entry: no cap, weight 1). A lowered cap stops no running task; new ones wait.")
    static final class Set extends ClientCommand {
        @Parameters(paramLabel = "OWNER", description = "The owner (a token's subject), or '*' for the default.")
        String owner;

        @Option(names = "--max-running", paramLabel = "N",
                description = "Most tasks the owner runs at once across its jobs (a task counts once, whatever its "
                        + "slots); 'none' for no cap; 0 holds all its work back.", converter = CapConverter.class)
        Integer maxRunning;

        @Option(names = "--weight", paramLabel = "W",
                description = "Fair-share weight 1..10000: owners with work waiting get running tasks in the ratio of "
                        + "their weights.")
        Integer weight;

        @Override
        protected int run(DroverClient client) {
            if (maxRunning == null && weight == null) {
                throw new IllegalArgumentException("give --max-running, --weight or both");
            }
            Quota q = client.setQuota(owner, maxRunning, weight);
            out().println("quota of " + SafeText.of(q.owner()) + ": max running " + cap(q.maxRunning()) + ", weight "
                    + q.weight());
            return OK;
        }
    }

    /** A cap, or none / -1 for no cap. */
    static final class CapConverter implements picocli.CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            if (v.equals("none") || v.equals("-1")) {
                return Quota.NO_CAP;
            }
            try {
                int n = Integer.parseInt(v);
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // worded below
            }
            throw new picocli.CommandLine.TypeConversionException("'" + value
                    + "' is not a cap; use a number >= 0, or none");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Quota entries and every owner with running or ready tasks: cap, weight, running, ready.",
            exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the answer was printed",
            "2:bad usage, or the request was refused",
            "3:no leading coordinator answered",
            "5:any other error",
            "6:permission denied (no token, a refused one, or a role that may not read this)"})
    static final class ListQuotas extends ClientCommand {
        @picocli.CommandLine.Mixin
        OutputOption output;

        @Override
        protected int run(DroverClient client) {
            List<Quota> quotas = client.quotas();
            if (output.json()) {
                OutputOption.print(out(), quotas.stream().map(Dtos::quota).toList());
                return OK;
            }
            if (quotas.isEmpty()) {
                out().println("no quotas: every owner runs without a cap at weight 1");
                return OK;
            }
            TextTable table = new TextTable("OWNER", "MAX-RUNNING", "WEIGHT", "RUNNING", "READY", "ENTRY");
            for (Quota q : quotas) {
                table.row(q.owner(), cap(q.maxRunning()), q.weight(), q.running(), q.ready(),
                        q.explicit() ? "own" : "default");
            }
            out().print(table.render());
            return OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Remove an owner's entry (operator or admin): the default applies to it again.")
    static final class Remove extends ClientCommand {
        @Parameters(paramLabel = "OWNER")
        String owner;

        @Override
        protected int run(DroverClient client) {
            client.removeQuota(owner);
            out().println("quota of " + SafeText.of(owner) + " removed");
            return OK;
        }
    }

    static String cap(int maxRunning) {
        return maxRunning == Quota.NO_CAP ? "none" : Integer.toString(maxRunning);
    }
}
