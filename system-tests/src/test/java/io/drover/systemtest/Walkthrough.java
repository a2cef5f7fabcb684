package io.drover.systemtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The machine-checkable parts of README.md: fenced {@code console} blocks right after a
 * {@code <!-- walkthrough -->} line. In them, {@code $ command} lines are what a user types (a
 * trailing {@code # comment} is for readers; a trailing {@code &} starts a service that keeps
 * running), and the lines under a command are what it prints, matched loosely by
 * {@link #firstUnmatched}: in order, each against a later output line, with {@code ...} standing for
 * any text and any run of spaces for any run of spaces. Output lines README leaves out are allowed
 * (a line of {@code ...} alone may say so).
 */
final class Walkthrough {
    static final String MARKER = "<!-- walkthrough -->";

    /** One typed command and what README shows it printing. */
    record Step(int line, String command, boolean background, List<String> expected) {
    }

    private Walkthrough() {
    }

    /** Every step of every walkthrough block, in README order. */
    static List<Step> parse(String readme) {
        List<String> lines = readme.lines().toList();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals(MARKER)) {
                continue;
            }
            if (i + 1 >= lines.size() || !lines.get(i + 1).strip().equals("```console")) {
                throw new IllegalArgumentException("README.md line " + (i + 1) + ": " + MARKER
                        + " must be followed by a ```console block");
            }
            int j = i + 2;
            Step current = null;
            for (; j < lines.size() && !lines.get(j).strip().equals("```"); j++) {
                String line = lines.get(j);
                if (line.startsWith("$ ")) {
                    current = step(j + 1, line.substring(2));
                    steps.add(current);
                } else if (current == null) {
                    throw new IllegalArgumentException("README.md line " + (j + 1) + ": output before any $ command");
                } else if (!line.isBlank() && !line.strip().equals("...") && !line.strip().equals("…")) {
                    current.expected().add(line); // a line of "..." alone only says that lines are left out
                }
            }
            if (j == lines.size()) {
                throw new IllegalArgumentException("README.md line " + (i + 2) + ": walkthrough block never closed");
            }
            i = j;
        }
        return steps;
    }

    private static Step step(int line, String typed) {
        String command = typed.replaceAll("\\s+#\\s.*$", "").strip();
        boolean background = command.endsWith("&");
        if (background) {
            command = command.substring(0, command.length() - 1).strip();
        }
        return new Step(line, command, background, new ArrayList<>());
    }

    /**
     * The first expected line not found, in order, among {@code output}'s lines; empty when all are.
     */
    static Optional<String> firstUnmatched(List<String> expected, List<String> output) {
        int at = 0;
        for (String want : expected) {
            Pattern p = pattern(want);
            while (at < output.size() && !p.matcher(output.get(at).strip()).matches()) {
                at++;
            }
            if (at == output.size()) {
                return Optional.of(want);
            }
            at++;
        }
        return Optional.empty();
    }

    private static Pattern pattern(String expected) {
        StringBuilder regex = new StringBuilder();
        String text = expected.strip().replace("…", "...");
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("...", i)) {
                regex.append(".*");
                i += 3;
            } else if (Character.isWhitespace(text.charAt(i))) {
                regex.append("\\s+");
                while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
            } else {
                int end = i;
                while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && !text.startsWith("...", end)) {
                    end++;
                }
                regex.append(Pattern.quote(text.substring(i, end)));
                i = end;
            }
        }
        return Pattern.compile(regex.toString());
    }

    /** Splits a typed command into words as sh does for plain words and '...' / "..." quoting (no expansion). */
    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed quote in: " + command);
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
