package io.drover.cli.options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a development cluster ({@code drover coordinator --dev}) keeps its state, per user rather than
 * per working directory: $XDG_DATA_HOME/drover (else ~/.local/share/drover), with the embedded
 * ZooKeeper's data in {@code dev-zk} and the cluster's secrets (CA, token keys, admin token) in
 * {@code dev-secrets}. Agents and the CLI on the same machine find the secrets there, so a
 * development cluster is secure with no extra step.
 */
public final class DevDirectories {
    private final Path base;

    private DevDirectories(Path base) {
        this.base = base;
    }

    public static DevDirectories of(Map<String, String> env, String userHome) {
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg) // the XDG spec ignores relative paths
                : Path.of(userHome, ".local", "share");
        return new DevDirectories(base.resolve("drover"));
    }

    public static DevDirectories ofThisUser() {
        return of(System.getenv(), System.getProperty("user.home"));
    }

    public Path zooKeeperData() {
        return base.resolve("dev-zk");
    }

    public Path secrets() {
        return base.resolve("dev-secrets");
    }

    /** The development cluster's secrets directory, if one was made on this machine by this user. */
    public Optional<Path> existingSecrets() {
        Path s = secrets();
        return Files.isRegularFile(s.resolve("ca.pem")) ? Optional.of(s) : Optional.empty();
    }
}
