package io.drover.cli.security;

import io.drover.cli.options.DurationConverter;
import io.drover.cli.options.VersionProvider;
import io.drover.security.Role;
import io.drover.security.SecretsDir;
import io.drover.security.InvalidTokenException;
import io.drover.security.TokenClaims;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code drover token create}: access and join tokens, made from the secrets directory. */
@Command(name = "token", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Access tokens (admin, operator, submitter, viewer) and agents' join tokens.",
        subcommands = {TokenCommand.Create.class})
public final class TokenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CaCommand.INVALID;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Make a token signed with the cluster's token key and print it, alone, on stdout "
                    + "(TOKEN=$(drover token create ...)). Whoever holds the secrets directory is an admin.",
                "Agent (join) tokens default to 1 use and 1h, subject 'agent'; other roles to unbounded uses and 30 days, "
                    + "and need --subject (a job's owner is its submitter's subject)."})
    static final class Create implements Callable<Integer> {
        static final Duration AGENT_TTL = Duration.ofHours(1);
        static final Duration ACCESS_TTL = Duration.ofDays(30);

        @Spec
        CommandSpec spec;

        @Option(names = "--secrets-dir", required = true, paramLabel = "DIR", description = "The directory 'drover ca init' made")
        Path secretsDir;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin, operator, submitter, viewer or agent")
        String role;

        @Option(names = "--subject", paramLabel = "NAME", description = "Who the token stands for: letters, digits, '.', '_', '@', '-'. "
                + "Default for agent tokens: agent; required for the others")
        String subject;

        @Option(names = "--ttl", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How long the token is good for, e.g. 1h, 30d. Default: 1h for agent tokens, 30d for others")
        Duration ttl;

        @Option(names = "--pool", paramLabel = "POOL", description = "Agent tokens only: the pool the agent joins (in its certificate)")
        String pool;

        @Option(names = "--uses", paramLabel = "N", description = "How many times it may be used; 0 for unbounded. "
                + "Default: 1 for agent tokens, 0 for others")
        Integer uses;

        @Override
        public Integer call() throws IOException, InvalidTokenException {
            Role r = parseRole();
            boolean agent = r == Role.AGENT;
            if (subject == null && !agent) {
                throw usage("--subject is required for " + (r == Role.ADMIN || r == Role.OPERATOR ? "an " : "a ") + r.label()
                        + " token: it names who acts (a job's owner, the audit log)");
            }
            if (pool != null && !agent) {
                throw usage("--pool applies to agent tokens only");
            }
            if (uses != null && uses < 0) {
                throw usage("--uses must be 0 (unbounded) or more, not " + uses);
            }
            if (ttl != null && (ttl.isZero() || ttl.isNegative())) {
                throw usage("--ttl must be positive");
            }
            String token;
            SecretsDir secrets = SecretsDir.load(secretsDir);
            try {
                token = secrets.tokens().create(r, subject != null ? subject : r.label(), Optional.ofNullable(pool),
                        ttl != null ? ttl : agent ? AGENT_TTL : ACCESS_TTL, uses != null ? uses : agent ? 1 : 0);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            TokenClaims claims = secrets.tokens().verify(token); // what a coordinator will read from it
            spec.commandLine().getOut().println(token);
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().println(claims.role().label() + " token for " + claims.subject()
                    + claims.pool().map(p -> " (pool " + p + ")").orElse("") + ", expires " + claims.expiresAt() + ", "
                    + (claims.maxUses() == 0 ? "unbounded uses" : claims.maxUses() + (claims.maxUses() == 1 ? " use" : " uses")));
            spec.commandLine().getErr().flush();
            return 0;
        }

        private Role parseRole() {
            try {
                return Role.parse(role);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }

        private ParameterException usage(String message) {
            return new ParameterException(spec.commandLine(), message);
        }
    }
}
