package io.drover.cli.client;

import io.drover.sdk.Credentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import io.drover.cli.options.DevDirectories;
import java.util.Set;

/**
 * The CLI's client credentials from its flags and environment: --ca-file (DROVER_CA_FILE),
 * --token (DROVER_TOKEN), --token-file (DROVER_TOKEN_FILE) and --insecure (DROVER_INSECURE=1).
 * With none of them it uses the secrets directory in DROVER_SECRETS_DIR (on a coordinator host) or
 * the development cluster's of this user ({@code drover coordinator --dev}): its CA and admin token.
 * Failing that it speaks plaintext, and a TLS coordinator answers that it needs --ca-file.
 */
final class ClientCredentials {
    private static final Set<PosixFilePermission> NOT_PRIVATE = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final long MAX_TOKEN_FILE_BYTES = 16 * 1024;

    private ClientCredentials() {
    }

    /**
     * @param caFile    --ca-file or DROVER_CA_FILE (null or blank: none)
     * @param token     --token or DROVER_TOKEN
     * @param tokenFile --token-file or DROVER_TOKEN_FILE
     * @param insecure  --insecure
     * @param env       the environment, for DROVER_INSECURE
     * @throws IllegalArgumentException naming the flag or file to fix
     */
    static Credentials resolve(String caFile, String token, String tokenFile, boolean insecure, Map<String, String> env) {
        String insecureEnv = env.getOrDefault("DROVER_INSECURE", "");
        boolean plaintext = insecure || insecureEnv.equals("1") || insecureEnv.equalsIgnoreCase("true");
        boolean hasCa = caFile != null && !caFile.isBlank();
        if (plaintext && hasCa) {
            throw new IllegalArgumentException("both --insecure (or DROVER_INSECURE) and --ca-file (or DROVER_CA_FILE) "
                    + "are given: use --ca-file for a coordinator with TLS, --insecure for one run with --insecure");
        }
        boolean hasToken = token != null && !token.isBlank();
        boolean hasTokenFile = tokenFile != null && !tokenFile.isBlank();
        if (hasToken && hasTokenFile) {
            throw new IllegalArgumentException("both --token (or DROVER_TOKEN) and --token-file (or DROVER_TOKEN_FILE) "
                    + "are given: give one");
        }
        String given = hasTokenFile ? readTokenFile(Path.of(tokenFile)) : hasToken ? token.strip() : null;
        if (!plaintext && !hasCa) {
            Optional<Path> dir = secretsDir(env);
            if (dir.isPresent()) {
                Credentials c = Credentials.caFile(dir.get().resolve("ca.pem"));
                Path admin = dir.get().resolve("admin.token");
                return given != null ? c.withToken(given) : Files.isRegularFile(admin) ? c.withToken(readTokenFile(admin)) : c;
            }
            if (given != null) {
                throw new IllegalArgumentException("a token is given but no CA to check the coordinator with: give --ca-file "
                        + "(or DROVER_CA_FILE), the cluster's ca.pem, so the token only travels over TLS");
            }
        }
        Credentials c = hasCa ? Credentials.caFile(Path.of(caFile)) : Credentials.insecure();
        return given != null ? c.withToken(given) : c;
    }

    /** DROVER_SECRETS_DIR, else this user's development cluster's secrets, when they exist. */
    private static Optional<Path> secretsDir(Map<String, String> env) {
        String dir = env.getOrDefault("DROVER_SECRETS_DIR", "");
        if (!dir.isBlank()) {
            Path p = Path.of(dir);
            if (!Files.isRegularFile(p.resolve("ca.pem"))) {
                throw new IllegalArgumentException("DROVER_SECRETS_DIR=" + dir + " holds no ca.pem");
            }
            return Optional.of(p);
        }
        return DevDirectories.of(env, System.getProperty("user.home")).existingSecrets();
    }

    /** The token in {@code file}; refused, as ssh refuses keys, when others may read the file. */
    static String readTokenFile(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("the token file " + file + " does not exist or is not a file");
            }
            checkPrivate(file);
            if (Files.size(file) > MAX_TOKEN_FILE_BYTES) {
                throw new IllegalArgumentException("the token file " + file + " is larger than "
                        + MAX_TOKEN_FILE_BYTES + " bytes: not a token");
            }
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new IllegalArgumentException("the token file " + file + " is empty");
            }
            return token;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the token file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void checkPrivate(Path file) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX file system: nothing to check
        }
        if (perms.stream().anyMatch(NOT_PRIVATE::contains)) {
            throw new IllegalArgumentException("the token file " + file + " is accessible by other users ("
                    + java.nio.file.attribute.PosixFilePermissions.toString(perms) + "); a token is a password: "
                    + "make it private with 'chmod 600 " + file + "'");
        }
    }
}
