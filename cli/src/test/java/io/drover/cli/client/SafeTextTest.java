package io.drover.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SafeTextTest {
    @Test
    void plainTextIsUnchanged() {
        assertThat(SafeText.of("MonteCarloPi zone=eu ünïcödé 日本 ✓")).isEqualTo("MonteCarloPi zone=eu ünïcödé 日本 ✓");
        assertThat(SafeText.of("C:\\dir\\job.jar")).as("a backslash before an ordinary letter").isEqualTo("C:\\dir\\job.jar");
        assertThat(SafeText.of("ends with \\")).isEqualTo("ends with \\");
        assertThat(SafeText.of(null)).isEqualTo("null");
        assertThat(SafeText.of(42)).isEqualTo("42");
    }

    @Test
    void terminalControlsAreRenderedVisibly() {
        assertThat(SafeText.of("evil\u001b[2J\r\nFAKE ROW")).isEqualTo("evil\\e[2J\\r\\nFAKE ROW");
        assertThat(SafeText.of("\u0007\b\t\u000b\f")).isEqualTo("\\a\\b\\t\\v\\f");
        assertThat(SafeText.of("a\u0000b\u007fc")).isEqualTo("a\\u0000b\\u007fc");
        assertThat(SafeText.of("csi\u009b2J nel\u0085")).as("C1 controls").isEqualTo("csi\\u009b2J nel\\u0085");
        assertThat(SafeText.of("ab\u202ecd\u2028")).as("bidi override, line separator").isEqualTo("ab\\u202ecd\\u2028");
    }

    @Test
    void aBackslashIsDoubledOnlyWhereItWouldBeAmbiguous() {
        assertThat(SafeText.of("not an escape: \\e")).isEqualTo("not an escape: \\\\e");
        assertThat(SafeText.of("\\\\")).isEqualTo("\\\\\\");
        assertThat(SafeText.of("\\\u001b")).as("a backslash before a control").isEqualTo("\\\\\\e");
        assertThat(SafeText.of("\\u001b")).isEqualTo("\\\\u001b");
    }

    @Test
    void theOutputHasNoControlsAndReadsBackToTheInput() {
        Random random = new Random(11);
        char[] alphabet = "ab\\eanu0x[\u001b\u0007\r\n\t\u0000\u007f\u009b\u0085\u202e\u2028é".toCharArray();
        for (int n = 0; n < 20_000; n++) {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                s.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String shown = SafeText.of(s.toString());
            assertThat(shown.chars()).as(shown).noneMatch(c -> SafeText.rendered((char) c.intValue()));
            assertThat(read(shown)).as(shown).isEqualTo(s.toString());
        }
    }

    /** The reading the Javadoc promises: what a person (or a script) can undo. */
    private static String read(String shown) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (c != '\\' || i + 1 == shown.length()) {
                out.append(c);
                continue;
            }
            char next = shown.charAt(i + 1);
            int named = "\\eabtnvfr".indexOf(next);
            if (named >= 0) {
                out.append("\\\u001b\u0007\b\t\n\u000b\f\r".charAt(named));
                i++;
            } else if (next == 'u' && i + 6 <= shown.length() && shown.substring(i + 2, i + 6).matches("[0-9a-f]{4}")) {
                out.append((char) Integer.parseInt(shown.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
