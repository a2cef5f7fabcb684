package io.drover.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Ansible roles give the services their log file through {@code -Ddrover.log.*} properties built
 * from the drover_log_* defaults (drover_common/defaults/main.yml, their one place): with those
 * defaults rendered, {@link LogSettings} accepts every property and caps the file as documented.
 */
class RoleLogDefaultsTest {
    private static final Path DEFAULTS = Path.of("..", "ansible", "roles", "drover_common", "defaults", "main.yml");
    private static final Pattern SCALAR = Pattern.compile("(?m)^(drover_log_\\w+): *\"?([^\"\\n>]+?)\"?$");
    private static final Pattern PROPERTY = Pattern.compile("-D(drover\\.log\\.\\w+)=\\{\\{ *(\\w+) *}}");

    @Test
    void theRolesDefaultPropertiesAreSettingsTheServicesAccept() throws IOException {
        String yaml = Files.readString(DEFAULTS);
        Map<String, String> vars = new HashMap<>();
        Matcher scalar = SCALAR.matcher(yaml);
        while (scalar.find()) {
            vars.put(scalar.group(1), scalar.group(2).trim());
        }
        Map<String, String> properties = new HashMap<>();
        Matcher property = PROPERTY.matcher(yaml);
        while (property.find()) {
            assertThat(vars).as("a default for " + property.group(2)).containsKey(property.group(2));
            properties.put(property.group(1), vars.get(property.group(2)));
        }
        assertThat(properties).containsOnlyKeys(LogSettings.MAX_FILE_SIZE, LogSettings.MAX_HISTORY,
                LogSettings.TOTAL_SIZE_CAP, LogSettings.STDERR_LEVEL);
        properties.put(LogSettings.FILE, "/srv/drover/agent/log/drover-agent-app.log"); // the env templates add it

        LogSettings settings = LogSettings.from(properties::get, null);

        assertThat(settings.maxFileSize().getSize()).isEqualTo(50L * 1024 * 1024);
        assertThat(settings.maxHistory()).isEqualTo(7);
        assertThat(settings.totalSizeCap().getSize()).isEqualTo(500L * 1024 * 1024)
                .isGreaterThan(settings.maxFileSize().getSize());
        assertThat(settings.stderrLevel()).contains(Level.WARN);
        assertThat(settings.file()).contains(Path.of("/srv/drover/agent/log/drover-agent-app.log"));
    }
}
