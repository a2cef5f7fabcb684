package io.drover.coordinator.store;

import io.drover.coordinator.core.Constraint;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The job definition's placement extensions in the fact log (tags {@code constraints} and
 * {@code spreadLabel}, no version bump): each constraint as label, operator name, values. A stored
 * constraint that no longer reads as one is a corrupt log, not a job to guess at.
 */
final class PlacementCodec {
    static final String EXT_CONSTRAINTS = "constraints";
    static final String EXT_SPREAD_LABEL = "spreadLabel";

    private PlacementCodec() {
    }

    static void writeConstraints(DataOutputStream out, List<Constraint> constraints) throws IOException {
        out.writeInt(constraints.size());
        for (Constraint c : constraints) {
            FactCodec.writeString(out, c.label());
            out.writeUTF(c.op().name());
            FactCodec.writeList(out, c.values());
        }
    }

    static List<Constraint> readConstraints(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > Constraint.MAX_PER_JOB) {
            throw new IOException("stored job has " + n + " constraints, at most " + Constraint.MAX_PER_JOB + " allowed");
        }
        List<Constraint> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String label = FactCodec.readString(in);
            String op = in.readUTF();
            List<String> values = FactCodec.readList(in);
            try {
                out.add(new Constraint(label, Constraint.Op.valueOf(op), values));
            } catch (IllegalArgumentException e) {
                throw new IOException("stored constraint " + label + " " + op + " " + values + " is invalid: "
                        + e.getMessage(), e);
            }
        }
        return out;
    }
}
