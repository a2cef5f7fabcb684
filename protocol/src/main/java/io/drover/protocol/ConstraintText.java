package io.drover.protocol;

import io.drover.protocol.thrift.ConstraintOp;
import io.drover.protocol.thrift.PlacementConstraint;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Placement constraints as people write them, to and from the wire struct:
 * {@code site = eu-1}, {@code site != edge-3}, {@code gpu in (a100,h100)}, {@code gpu not in (t4)},
 * {@code ssd exists}, {@code ssd not exists}. Keywords are case-insensitive; labels and values are
 * 1..128 of {@code [A-Za-z0-9._/:@+-]}. Anything else is refused with the reason.
 */
public final class ConstraintText {
    public static final String TOKEN = "[A-Za-z0-9._/:@+-]{1,128}";
    public static final int MAX_VALUES = 64;
    private static final Pattern TOKEN_ONLY = Pattern.compile(TOKEN);
    private static final Pattern COMPARE = Pattern.compile("\\s*(" + TOKEN + ")\\s*(!=|=)\\s*(\\S.*?)?\\s*");
    private static final Pattern SET = Pattern.compile("\\s*(" + TOKEN + ")\\s+((?i:not)\\s+)?(?i:in)\\s*(.*?)\\s*");
    private static final Pattern EXISTS = Pattern.compile("\\s*(" + TOKEN + ")\\s+((?i:not)\\s+)?(?i:exists)\\s*");
    static final String FORMS = "LABEL = VALUE, LABEL != VALUE, LABEL in (V1,V2), LABEL not in (V1,V2), "
            + "LABEL exists, LABEL not exists";

    private ConstraintText() {
    }

    /** Parses one expression; IllegalArgumentException says what is wrong with it. */
    public static PlacementConstraint parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty constraint; write one of " + FORMS);
        }
        if (text.length() > 10_000) {
            throw new IllegalArgumentException("constraint of " + text.length() + " characters is too long");
        }
        Matcher m = EXISTS.matcher(text);
        if (m.matches()) {
            return new PlacementConstraint(m.group(1), m.group(2) == null ? ConstraintOp.EXISTS : ConstraintOp.NOT_EXISTS);
        }
        m = SET.matcher(text);
        if (m.matches()) {
            ConstraintOp op = m.group(2) == null ? ConstraintOp.IN : ConstraintOp.NOT_IN;
            return new PlacementConstraint(m.group(1), op).setValues(valueList(text, m.group(3)));
        }
        m = COMPARE.matcher(text);
        if (m.matches()) {
            String value = m.group(3);
            if (value == null || !TOKEN_ONLY.matcher(value).matches()) {
                throw new IllegalArgumentException("constraint '" + text.strip() + "': the value must be 1..128 of "
                        + "[A-Za-z0-9._/:@+-], was '" + (value == null ? "" : value) + "'");
            }
            ConstraintOp op = m.group(2).equals("=") ? ConstraintOp.EQ : ConstraintOp.NE;
            return new PlacementConstraint(m.group(1), op).setValues(List.of(value));
        }
        String first = text.strip().split("[\\s=!(]", 2)[0];
        if (!first.isEmpty() && !TOKEN_ONLY.matcher(first).matches()) {
            throw new IllegalArgumentException("constraint '" + text.strip() + "': the label must be 1..128 of "
                    + "[A-Za-z0-9._/:@+-], was '" + first + "'");
        }
        throw new IllegalArgumentException("constraint '" + text.strip() + "' is not one of " + FORMS);
    }

    private static List<String> valueList(String text, String group) {
        if (!group.startsWith("(") || !group.endsWith(")")) {
            throw new IllegalArgumentException("constraint '" + text.strip() + "': in takes a list in parentheses, "
                    + "e.g. gpu in (a100,h100)");
        }
        String inner = group.substring(1, group.length() - 1).strip();
        if (inner.isEmpty()) {
            throw new IllegalArgumentException("constraint '" + text.strip() + "': the list is empty");
        }
        List<String> values = new ArrayList<>();
        for (String raw : inner.split(",", -1)) {
            String v = raw.strip();
            if (!TOKEN_ONLY.matcher(v).matches()) {
                throw new IllegalArgumentException("constraint '" + text.strip() + "': each value must be 1..128 of "
                        + "[A-Za-z0-9._/:@+-], one is '" + v + "'");
            }
            values.add(v);
        }
        if (values.size() > MAX_VALUES) {
            throw new IllegalArgumentException("constraint '" + text.strip() + "' lists " + values.size()
                    + " values, at most " + MAX_VALUES);
        }
        return values;
    }

    /** The expression in the form {@link #parse} reads. */
    public static String format(PlacementConstraint c) {
        List<String> v = c.isSetValues() ? c.getValues() : List.of();
        String first = v.isEmpty() ? "" : v.get(0);
        ConstraintOp op = c.getOp();
        if (op == null) {
            return c.getLabel() + " ?";
        }
        return switch (op) {
            case EQ -> c.getLabel() + " = " + first;
            case NE -> c.getLabel() + " != " + first;
            case IN -> c.getLabel() + " in (" + String.join(",", v) + ")";
            case NOT_IN -> c.getLabel() + " not in (" + String.join(",", v) + ")";
            case EXISTS -> c.getLabel() + " exists";
            case NOT_EXISTS -> c.getLabel() + " not exists";
        };
    }
}
