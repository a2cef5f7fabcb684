package io.drover.coordinator.rpc;

import io.drover.coordinator.core.Constraint;
import io.drover.protocol.ConstraintText;
import io.drover.protocol.thrift.ConstraintOp;
import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.PlacementConstraint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A submission's placement settings (constraints, spread label) checked at the edge and turned into
 * core values; each problem names the constraint by its position and, when readable, its text.
 */
final class PlacementSettings {
    private PlacementSettings() {
    }

    static List<Constraint> constraints(JobSubmission s, List<String> problems) {
        if (!s.isSetConstraints()) {
            return List.of();
        }
        List<PlacementConstraint> wire = s.getConstraints();
        if (wire.size() > Constraint.MAX_PER_JOB) {
            problems.add("constraints has " + wire.size() + " entries, more than " + Constraint.MAX_PER_JOB);
            return List.of();
        }
        List<Constraint> out = new ArrayList<>(wire.size());
        for (int i = 0; i < wire.size(); i++) {
            PlacementConstraint c = wire.get(i);
            if (c == null || c.getOp() == null) {
                problems.add("constraints[" + i + "] has no operator");
                continue;
            }
            List<String> values = c.isSetValues() ? c.getValues() : List.of();
            if (values.stream().anyMatch(java.util.Objects::isNull)) { // List.of().contains(null) would throw
                problems.add("constraints[" + i + "] has a null value");
                continue;
            }
            try {
                out.add(new Constraint(c.getLabel(), op(c.getOp()), values));
            } catch (IllegalArgumentException e) {
                problems.add("constraints[" + i + "] (" + shorten(ConstraintText.format(c)) + "): " + shorten(e.getMessage()));
            }
        }
        return out;
    }

    static String spreadLabel(JobSubmission s, List<String> problems) {
        if (!s.isSetSpreadLabel()) {
            return null;
        }
        String label = s.getSpreadLabel();
        if (!Constraint.TOKEN.matcher(label).matches()) {
            problems.add("spreadLabel must be 1..128 of [A-Za-z0-9._/:@+-], was '" + shorten(label) + "'");
            return null;
        }
        return label;
    }

    /** What the settings add to the stored definition, for its size bound. */
    static long storedBytes(JobSubmission s) {
        long bytes = s.isSetSpreadLabel() ? utf8(s.getSpreadLabel()) : 0;
        if (s.isSetConstraints()) {
            for (PlacementConstraint c : s.getConstraints()) {
                if (c != null) {
                    bytes += utf8(c.getLabel()) + 16;
                    if (c.isSetValues()) {
                        for (String v : c.getValues()) {
                            bytes += utf8(v);
                        }
                    }
                }
            }
        }
        return bytes;
    }

    static Constraint.Op op(ConstraintOp op) {
        return switch (op) {
            case EQ -> Constraint.Op.EQ;
            case NE -> Constraint.Op.NE;
            case IN -> Constraint.Op.IN;
            case NOT_IN -> Constraint.Op.NOT_IN;
            case EXISTS -> Constraint.Op.EXISTS;
            case NOT_EXISTS -> Constraint.Op.NOT_EXISTS;
        };
    }

    static ConstraintOp op(Constraint.Op op) {
        return ConstraintOp.valueOf(op.name());
    }

    static PlacementConstraint wire(Constraint c) {
        PlacementConstraint p = new PlacementConstraint(c.label(), op(c.op()));
        return c.values().isEmpty() ? p : p.setValues(new ArrayList<>(c.values()));
    }

    private static long utf8(String s) {
        return s == null ? 0 : 4 + s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String shorten(String s) {
        return s == null || s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
