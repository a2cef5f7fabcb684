package io.drover.coordinator.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One placement constraint over an agent's labels; a job's constraints must all hold on an agent
 * for it to run the job's tasks. {@code values} holds one value for {@code EQ}/{@code NE}, one or
 * more for {@code IN}/{@code NOT_IN} and none for {@code EXISTS}/{@code NOT_EXISTS}. A label the
 * agent lacks fails {@code EQ}/{@code IN}/{@code EXISTS} and passes the negated forms.
 */
public record Constraint(String label, Op op, List<String> values) {
    /** Label names and values: what agents may register (see the agent's label checks). */
    public static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._/:@+-]{1,128}");
    public static final int MAX_VALUES = 64;
    /** Constraints per job. */
    public static final int MAX_PER_JOB = 32;

    public enum Op { EQ, NE, IN, NOT_IN, EXISTS, NOT_EXISTS }

    public Constraint {
        Objects.requireNonNull(op, "op");
        values = List.copyOf(values);
        if (label == null || !TOKEN.matcher(label).matches()) {
            throw new IllegalArgumentException("constraint label must be 1..128 of [A-Za-z0-9._/:@+-], was " + label);
        }
        for (String v : values) {
            if (!TOKEN.matcher(v).matches()) {
                throw new IllegalArgumentException("constraint value must be 1..128 of [A-Za-z0-9._/:@+-], was " + v);
            }
        }
        int n = values.size();
        boolean ok = switch (op) {
            case EQ, NE -> n == 1;
            case IN, NOT_IN -> n >= 1 && n <= MAX_VALUES;
            case EXISTS, NOT_EXISTS -> n == 0;
        };
        if (!ok) {
            throw new IllegalArgumentException("constraint " + label + " " + op + " takes "
                    + switch (op) {
                        case EQ, NE -> "one value";
                        case IN, NOT_IN -> "1.." + MAX_VALUES + " values";
                        case EXISTS, NOT_EXISTS -> "no value";
                    } + ", got " + n);
        }
    }

    public static Constraint eq(String label, String value) {
        return new Constraint(label, Op.EQ, List.of(value));
    }

    /** Whether an agent with these labels satisfies it. */
    public boolean test(Map<String, String> labels) {
        String have = labels.get(label);
        return switch (op) {
            case EQ -> values.get(0).equals(have);
            case NE -> !values.get(0).equals(have);
            case IN -> have != null && values.contains(have);
            case NOT_IN -> have == null || !values.contains(have);
            case EXISTS -> have != null;
            case NOT_EXISTS -> have == null;
        };
    }

    /** The expression as users write it: {@code gpu in (a100,h100)}, {@code site != edge-3}, {@code ssd exists}. */
    @Override
    public String toString() {
        return switch (op) {
            case EQ -> label + " = " + values.get(0);
            case NE -> label + " != " + values.get(0);
            case IN -> label + " in (" + String.join(",", values) + ")";
            case NOT_IN -> label + " not in (" + String.join(",", values) + ")";
            case EXISTS -> label + " exists";
            case NOT_EXISTS -> label + " not exists";
        };
    }
}
