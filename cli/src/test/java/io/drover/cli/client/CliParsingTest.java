package io.drover.cli.client;

import io.drover.cli.options.DurationConverter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.sdk.Codecs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The small pure pieces of the CLI: durations, command splitting, result formats, tables. */
class CliParsingTest {

    @Test
    void parsesDurations() {
        assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationConverter.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationConverter.parse("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(DurationConverter.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationConverter.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationConverter.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> DurationConverter.parse("soon")).hasMessageContaining("'soon' is not a duration");
        assertThatThrownBy(() -> DurationConverter.parse("")).hasMessageContaining("'' is not a duration");
        assertThatThrownBy(() -> DurationConverter.parse("-PT1S")).hasMessageContaining("negative");
    }

    @Test
    void parsesCompoundDurations() {
        assertThat(DurationConverter.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DurationConverter.parse("2m30s")).isEqualTo(Duration.ofSeconds(150));
        assertThat(DurationConverter.parse("1d2h")).isEqualTo(Duration.ofHours(26));
        assertThat(DurationConverter.parse("1m500ms")).isEqualTo(Duration.ofMillis(60_500));
        assertThat(DurationConverter.parse("1H30M")).as("as printed back in ISO form").isEqualTo(Duration.ofMinutes(90));
        assertThatThrownBy(() -> DurationConverter.parse("30m1h")).hasMessageContaining("largest unit first");
        assertThatThrownBy(() -> DurationConverter.parse("1h1h")).hasMessageContaining("largest unit first");
        assertThatThrownBy(() -> DurationConverter.parse("1h30")).hasMessageContaining("'1h30' is not a duration");
        assertThatThrownBy(() -> DurationConverter.parse("1h 30m")).hasMessageContaining("is not a duration");
    }

    @Test
    void splitsCommandsLikeAShellWithoutExpanding() {
        assertThat(CommandSplitter.split("  python3 sweep.py --x 1 ")).containsExactly("python3", "sweep.py", "--x", "1");
        assertThat(CommandSplitter.split("sh -c 'echo $HOME; ls *'")).containsExactly("sh", "-c", "echo $HOME; ls *");
        assertThat(CommandSplitter.split("echo \"a \\\"b\\\" c\" d\\ e ''")).containsExactly("echo", "a \"b\" c", "d e", "");
        assertThatThrownBy(() -> CommandSplitter.split("echo 'open")).hasMessageContaining("unterminated ' quote");
        assertThat(CommandSplitter.split("sh -c \"echo \\$i \\`x\\` \\a\"")).as("as POSIX sh in double quotes")
                .containsExactly("sh", "-c", "echo $i `x` \\a");
        assertThat(CommandSplitter.split("sh -c 'echo \\$i'")).containsExactly("sh", "-c", "echo \\$i");
    }

    @Test
    void formatsResults() {
        assertThat(ResultFormat.PI.format(Codecs.int64Array().encode(new long[] {785398, 1000000})))
                .startsWith("3.141592 (785398 hits / 1000000 samples");
        assertThat(ResultFormat.INT64.format(Codecs.int64().encode(9592L))).isEqualTo("9592");
        assertThat(ResultFormat.INT64_ARRAY.format(Codecs.int64Array().encode(new long[] {1, 2}))).isEqualTo("[1, 2]");
        assertThat(ResultFormat.FLOAT64.format(Codecs.float64().encode(0.5))).isEqualTo("0.5");
        assertThat(ResultFormat.AUTO.format("x=1.0,f=0.0".getBytes(StandardCharsets.UTF_8))).isEqualTo("x=1.0,f=0.0");
        assertThat(ResultFormat.AUTO.format(new byte[] {0, 1, (byte) 0xff})).isEqualTo("0001ff");
        assertThat(new ResultFormat.Converter().convert("int64-array")).isEqualTo(ResultFormat.INT64_ARRAY);
        assertThatThrownBy(() -> ResultFormat.PI.format(Codecs.int64Array().encode(new long[] {1})))
                .hasMessageContaining("expected [hits, samples]");
        assertThatThrownBy(() -> new ResultFormat.Converter().convert("json")).hasMessageContaining("use one of auto, utf8");
    }

    @Test
    void rendersAlignedTables() {
        String table = new TextTable("ID", "STATE", "LABELS").row("a1", "ALIVE", "zone=eu").row("agent-22", "LOST", null).render();
        assertThat(table).isEqualTo("""
                ID        STATE  LABELS
                a1        ALIVE  zone=eu
                agent-22  LOST   -
                """);
    }
}
