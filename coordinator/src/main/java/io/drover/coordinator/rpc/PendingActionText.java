package io.drover.coordinator.rpc;

import io.drover.coordinator.core.PendingAction;
import io.drover.coordinator.core.PendingAction.Kind;
import io.drover.protocol.text.DurationText;
import java.util.ArrayList;
import java.util.List;

/**
 * The core's {@link PendingAction} as the one line an operator reads in {@code drover agents}.
 * It names the submit flag that set a job's override, since that is what the operator can change:
 * <pre>
 *  SUSPECT: "3 attempts left alone until LOST in 1h55m, then re-run elsewhere"
 *  mixed:   "3 attempts left alone: 2 until LOST in 1h55m, then re-run elsewhere; 1 until re-run elsewhere in 12m (job j1-4 --lost-after 20m)"
 *  LOST:    "2 attempts re-run elsewhere"
 *  DRAINING: "2 attempts finish here, no new work"
 * </pre>
 */
final class PendingActionText {
    private PendingActionText() {
    }

    static String describe(PendingAction a) {
        if (a.kind() == Kind.DRAINING) {
            return a.attempts() == 0 ? "no attempts here, safe to stop" : attempts(a.attempts()) + " finish here, no new work";
        }
        String lostWhy = a.lostByDisconnect() ? " (connection dropped)" : "";
        List<String> parts = new ArrayList<>();
        if (a.kind() == Kind.LOST && a.requeuedWhenLost() > 0) {
            parts.add(attempts(a.requeuedWhenLost()) + " re-run elsewhere");
        }
        List<String> held = new ArrayList<>();
        if (a.heldByPool() > 0) {
            held.add(count(a.heldByPool(), a.attempts()) + "until LOST " + DurationText.in(a.lostInMs()) + lostWhy
                    + ", then re-run elsewhere");
        }
        for (PendingAction.JobOverride o : a.overrides()) {
            held.add(count(o.attempts(), a.attempts()) + "until re-run elsewhere " + DurationText.in(o.requeueInMs())
                    + " (job " + o.firstJobId() + (o.moreJobs() ? " and others" : "")
                    + " --lost-after " + DurationText.compact(o.lostAfterMs()) + ")");
        }
        if (held.size() == 1) {
            parts.add(attempts(a.attempts()) + " left alone " + held.get(0));
        } else if (held.size() > 1) {
            parts.add(attempts(a.attempts()) + " left alone: " + String.join("; ", held));
        }
        if (parts.isEmpty()) {
            parts.add(a.kind() == Kind.LOST ? "no attempts held; gets work again when heard from"
                    : "no attempts held; LOST " + DurationText.in(a.lostInMs()) + lostWhy);
        }
        return String.join("; ", parts);
    }

    /** The count prefix inside a group list; empty when the group is everything (the total says it). */
    private static String count(int n, int total) {
        return n == total ? "" : n + " ";
    }

    private static String attempts(int n) {
        return n == 1 ? "1 attempt" : n + " attempts";
    }
}
