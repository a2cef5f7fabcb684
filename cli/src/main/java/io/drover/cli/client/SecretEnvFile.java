package io.drover.cli.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code --secret-env-file}: one {@code NAME=VALUE} a line, the value taken as written (no
 * quotes removed, '=' allowed in it); blank lines and {@code #} comments skipped. Errors name the
 * file and line, never a value.
 */
final class SecretEnvFile {
    private SecretEnvFile() {
    }

    static Map<String, String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --secret-env-file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String where = file + " line " + (i + 1);
            if (eq < 1) {
                throw new IllegalArgumentException(where + " is not NAME=VALUE");
            }
            String name = line.substring(0, eq).strip();
            if (secrets.put(name, line.substring(eq + 1)) != null) {
                throw new IllegalArgumentException(where + " repeats the variable " + name);
            }
        }
        return secrets;
    }
}
