package io.drover.cli.client;

import io.drover.cli.options.DurationConverter;
import io.drover.cli.options.VersionProvider;
import io.drover.sdk.AuditEntry;
import io.drover.sdk.DroverClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code drover audit}: the coordinators' audit log as a table, oldest first. */
@Command(name = "audit", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Show the audit log: every submit, cancel, upload, agent change (drain, undrain, forget, revoke) "
                + "and schedule change, and every refusal of one, oldest first: when, who, role, action, target, "
                + "the caller's address and the outcome.",
            "Needs an operator or admin token. The coordinators keep the newest 10,000 entries."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the entries were printed",
            "2:bad usage",
            "3:no leading coordinator answered",
            "5:any other error",
            "6:permission denied (the token may not read the audit log)"})
public final class AuditCommand extends ClientCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    @Option(names = "--since", paramLabel = "AGE|TIME", defaultValue = "1h",
            description = "Entries from this long ago (30m, 1h, 2d) or from this time (2026-12-07T09:00:00Z) on "
                    + "(default ${DEFAULT-VALUE}).")
    String since;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "At most this many entries, 1..1000 (default ${DEFAULT-VALUE}).")
    int limit;

    @picocli.CommandLine.Mixin
    OutputOption output;

    @Override
    protected int run(DroverClient client) {
        Instant from = since(since, Clock.systemUTC().instant());
        List<AuditEntry> entries = client.audit(from, limit);
        if (output.json()) {
            OutputOption.print(out(), entries.stream().map(io.drover.web.api.dto.Dtos::audit).toList());
            return OK;
        }
        out().print(render(entries));
        if (entries.size() == limit) {
            out().println("(" + limit + " entries shown; the next ones: --since " + entries.get(entries.size() - 1).at()
                    + ", which shows the last one again)");
        }
        return OK;
    }

    /**
     * {@code text} as an age before {@code now} ("1h") or an instant ("2026-12-07T09:00:00Z"). Pure.
     *
     * @throws IllegalArgumentException naming the text when it is neither
     */
    static Instant since(String text, Instant now) {
        if (text.contains("T") && text.contains("-")) {
            try {
                return Instant.parse(text.trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--since '" + text + "' is not a time like 2026-12-07T09:00:00Z", e);
            }
        }
        try {
            return now.minus(DurationConverter.parse(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--since takes an age (30m, 1h, 2d) or a time (2026-12-07T09:00:00Z): "
                    + e.getMessage(), e);
        }
    }

    /** The table; every cell through {@link SafeText} (user text: subjects, targets, error messages). Pure. */
    static String render(List<AuditEntry> entries) {
        TextTable table = new TextTable("TIME", "WHO", "ROLE", "ACTION", "TARGET", "REMOTE", "OUTCOME");
        for (AuditEntry e : entries) {
            table.row(TIME.format(e.at()), e.who(), e.role(), e.action(), e.target(), e.remote(), e.outcome());
        }
        return table.render();
    }
}
