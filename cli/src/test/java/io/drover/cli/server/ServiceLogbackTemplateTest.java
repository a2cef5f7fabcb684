package io.drover.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.util.FileSize;
import ch.qos.logback.core.util.StatusPrinter2;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The logback.xml the Ansible roles install for the coordinator and agent services, rendered with the
 * role defaults (the drover_log_* variables in drover_common/defaults/main.yml, their one place), is
 * a configuration Logback accepts: a rolling file appender capped in file size, days and total size.
 */
class ServiceLogbackTemplateTest {
    private static final Path COMMON = Path.of("..", "ansible", "roles", "drover_common");
    private static final Pattern DEFAULT = Pattern.compile("(?m)^(drover_log_\\w+): *\"?([^\"\\n]*)\"?$");
    private static final Pattern EXPRESSION = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");

    @TempDir
    Path svcDir;

    @Test
    void theRenderedTemplateConfiguresARollingFileCappedBySizeDaysAndTotal() throws Exception {
        Map<String, String> vars = defaults();
        assertThat(vars).containsEntry("drover_log_max_file_size", "50MB").containsEntry("drover_log_max_history", "7")
                .containsEntry("drover_log_total_size_cap", "500MB").containsKey("drover_log_console_level");
        vars.put("ansible_managed", "Managed by Ansible");
        vars.put("svc_name", "drover-coordinator");
        vars.put("svc_dir", svcDir.toString());
        String xml = render(Files.readString(COMMON.resolve("templates/logback.xml.j2")), vars);

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(text(doc, "maxFileSize")).isEqualTo("50MB");
        assertThat(text(doc, "totalSizeCap")).isEqualTo("500MB");
        assertThat(FileSize.valueOf(text(doc, "totalSizeCap")).getSize())
                .isGreaterThan(FileSize.valueOf(text(doc, "maxFileSize")).getSize());

        LoggerContext context = new LoggerContext();
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            assertThat(highestStatus(context)).as(statuses(context)).isLessThan(Status.WARN);

            Appender<?> file = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("FILE");
            assertThat(file).isInstanceOf(RollingFileAppender.class);
            RollingFileAppender<?> rolling = (RollingFileAppender<?>) file;
            assertThat(rolling.getRollingPolicy()).isInstanceOf(SizeAndTimeBasedRollingPolicy.class);
            assertThat(((SizeAndTimeBasedRollingPolicy<?>) rolling.getRollingPolicy()).getMaxHistory()).isEqualTo(7);
            assertThat(rolling.getFile()).isEqualTo(svcDir.resolve("log/drover-coordinator-app.log").toString());

        } finally {
            context.stop();
        }
    }

    private static Map<String, String> defaults() throws IOException {
        Map<String, String> vars = new HashMap<>();
        Matcher m = DEFAULT.matcher(Files.readString(COMMON.resolve("defaults/main.yml")));
        while (m.find()) {
            vars.put(m.group(1), m.group(2).trim());
        }
        return vars;
    }

    /** Jinja's plain {{ name }}: all the template may use, so a stray filter or tag fails here. */
    private static String render(String template, Map<String, String> vars) {
        assertThat(template).doesNotContain("{%");
        Matcher m = EXPRESSION.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            assertThat(vars).as("template variable").containsKey(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(vars.get(m.group(1))));
        }
        m.appendTail(out);
        assertThat(out.toString()).doesNotContain("{{", "}}");
        return out.toString();
    }

    private static String text(Document doc, String element) {
        return doc.getElementsByTagName(element).item(0).getTextContent().trim();
    }

    private static int highestStatus(LoggerContext context) {
        return context.getStatusManager().getCopyOfStatusList().stream().mapToInt(Status::getLevel).max().orElse(Status.INFO);
    }

    private static String statuses(LoggerContext context) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StatusPrinter2 printer = new StatusPrinter2();
        printer.setPrintStream(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        printer.print(context);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
