package io.drover.cli.client;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain left-aligned text table with a header row, columns two spaces apart. Cells are shown through
 * {@link SafeText}, so a value from the wire cannot break a row or drive the terminal. Pure.
 */
final class TextTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... header) {
        this.header = List.of(header);
    }

    /** @throws IllegalArgumentException when the row has a different number of cells than the header */
    TextTable row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, header has " + header.size());
        }
        List<String> row = new ArrayList<>(cells.length);
        for (Object c : cells) {
            row.add(c == null ? "-" : SafeText.of(c));
        }
        rows.add(row);
        return this;
    }

    String render() {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        append(out, header, widths);
        for (List<String> row : rows) {
            append(out, row, widths);
        }
        return out.toString();
    }

    private static void append(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append("  ");
            }
            line.append(cells.get(i));
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - cells.get(i).length()));
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
