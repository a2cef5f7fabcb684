package io.drover.cli.client;

/**
 * Makes a string from a user or the wire (job names, owners, labels, agent ids and hosts, error
 * messages, schedule names...) safe to print on a terminal: every character that a terminal would
 * act on instead of showing is rendered visibly, so a job name cannot clear the screen, move the
 * cursor, set the window title or forge table rows. Pure.
 *
 * <p>Rendered visibly: C0 controls (U+0000..U+001F), DEL (U+007F), C1 controls (U+0080..U+009F,
 * which include the one-byte CSI U+009B), the Unicode line and paragraph separators and the
 * bidirectional embedding, override and isolate controls (which reorder what is shown). Common ones
 * get short names ({@code \e \a \b \t \n \v \f \r}), the rest {@code \}{@code uXXXX}.
 *
 * <p>A backslash is doubled only where it would otherwise be ambiguous: when the next character is
 * a backslash, a character that gets rendered, or one of the letters that follow a backslash in the
 * forms above. Plain text (paths, regexes, {@code C:\dir}) prints unchanged, and the output can always
 * be read back to the original: {@code \\} is one backslash, {@code \e} etc. the named controls,
 * {@code \}{@code uXXXX} that character, and any other backslash stands for itself.
 *
 * <p>Not for a task's own output ({@code drover logs}), which is printed byte-exact by design.
 */
public final class SafeText {
    private SafeText() {
    }

    /** The text with control characters rendered visibly; {@code "null"} for null, like string concatenation. */
    public static String of(Object value) {
        String s = String.valueOf(value);
        int first = firstUnsafe(s);
        if (first < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 16).append(s, 0, first);
        for (int i = first; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                out.append(i + 1 < s.length() && escapeIntroducer(s.charAt(i + 1)) ? "\\\\" : "\\");
            } else if (rendered(c)) {
                out.append(escape(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Whether {@code c} is shown as an escape rather than as itself. */
    static boolean rendered(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }

    private static int firstUnsafe(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (rendered(c) || (c == '\\' && i + 1 < s.length() && escapeIntroducer(s.charAt(i + 1)))) {
                return i;
            }
        }
        return -1;
    }

    /** After a backslash, would {@code next} read as (the start of) an escape? */
    private static boolean escapeIntroducer(char next) {
        return next == '\\' || rendered(next) || "eabtnvfru".indexOf(next) >= 0;
    }

    private static String escape(char c) {
        return switch (c) {
            case 0x1b -> "\\e";
            case 0x07 -> "\\a";
            case 0x08 -> "\\b";
            case '\t' -> "\\t";
            case '\n' -> "\\n";
            case 0x0b -> "\\v";
            case '\f' -> "\\f";
            case '\r' -> "\\r";
            default -> String.format("\\u%04x", (int) c);
        };
    }
}
