package io.drover.cli.client;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code --command} string into arguments like a POSIX shell does for words and quotes,
 * without expanding anything: whitespace separates words, single quotes keep text literally,
 * double quotes keep whitespace, and inside them a backslash escapes {@code $ ` " \} (as in POSIX
 * sh; before any other character it stays); outside quotes a backslash escapes any character.
 * No shell ever runs the command, so no variable or glob expansion happens either.
 */
final class CommandSplitter {
    private CommandSplitter() {
    }

    /** @throws IllegalArgumentException on an unterminated quote or a trailing backslash */
    static List<String> split(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < command.length() && "$`\"\\".indexOf(command.charAt(i + 1)) >= 0) {
                    word.append(command.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= command.length()) {
                    throw new IllegalArgumentException("--command ends with a lone backslash");
                }
                word.append(command.charAt(++i));
                inWord = true;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("--command has an unterminated " + quote + " quote");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return List.copyOf(words);
    }
}
