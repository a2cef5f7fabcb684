package io.drover.security;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Run by {@link PrivateFilesUmaskTest} in a child JVM started under a chosen umask (a JVM cannot
 * change its own): makes a secrets directory and an agent identity directory under {@code args[0]}.
 */
public final class UmaskProbe {
    private UmaskProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        SecretsDir secrets = SecretsDir.init(root.resolve("secrets"), "probe", Clock.systemUTC());
        var keys = AgentKeys.generateKeyPair();
        var certificate = secrets.ca().signAgent(AgentKeys.certificateRequest(keys, "a1"), "a1", "default", Duration.ofHours(1));
        new AgentKeys(keys.getPrivate(), certificate, secrets.ca().certificate()).store(root.resolve("work").resolve("identity"));
        System.out.println("done " + List.of(args));
    }
}
