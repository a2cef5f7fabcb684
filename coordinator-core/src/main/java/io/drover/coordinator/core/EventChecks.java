package io.drover.coordinator.core;

import java.util.List;

/**
 * What the core refuses before it changes anything: an event missing a field it needs. The shell
 * checks requests at the edge; this is the core's own guard, so no event, however it was built,
 * leaves the core half-changed.
 */
final class EventChecks {
    private EventChecks() {
    }

    /** Why {@code e} cannot be applied, or null when it can. */
    static String refusal(Event e) {
        if (e instanceof Event.SubmitJob s) {
            return s.definition() == null ? "job definition is required" : null;
        } else if (e instanceof Event.SubmitWorkflow w) {
            return w.jobs() == null || w.jobs().stream().anyMatch(java.util.Objects::isNull) ? "workflow jobs are required" : null;
        } else if (e instanceof Event.RegisterAgent r) {
            return r.agentId() == null || r.labels() == null ? "agentId and labels are required" : null;
        } else if (e instanceof Event.Heartbeat h) {
            return h.agentId() == null ? "agentId is required" : heartbeatLists(h.results(), h.running());
        } else if (e instanceof Event.CancelJob c) {
            return c.jobId() == null ? "jobId is required" : null;
        } else if (e instanceof Event.DrainAgent d) {
            return d.agentId() == null ? "agentId is required" : null;
        } else if (e instanceof Event.ForgetAgent f) {
            return f.agentId() == null ? "agentId is required" : null;
        } else if (e instanceof Event.Query q) {
            if (q.kind() == Event.QueryKind.TASK_PAGE) {
                return taskPage(q);
            }
            return q.kind() == null || (q.id() == null && (q.kind() == Event.QueryKind.JOB
                    || q.kind() == Event.QueryKind.JOB_DEFINITION || q.kind() == Event.QueryKind.AGENT_HOLDINGS
                    || q.kind() == Event.QueryKind.UPSTREAM_RESULTS)) ? "query kind and id are required" : null;
        } else if (e instanceof Event.LocateTask l) {
            return l.jobId() == null ? "jobId is required" : null;
        } else if (e instanceof Event.ScheduleCommand s) {
            return scheduleOp(s.op());
        } else if (e instanceof Event.SetQuota q) {
            return quota(q);
        } else if (e instanceof Event.RemoveQuota r) {
            return r.owner() == null ? "owner is required" : null;
        }
        return null;
    }

    private static String quota(Event.SetQuota q) {
        if (q.owner() == null || q.owner().isBlank()) {
            return "a quota needs an owner";
        }
        if (q.maxRunning() != null && q.maxRunning() < Quota.NO_CAP) {
            return "max running must be >= 0 (or " + Quota.NO_CAP + " for no cap), was " + q.maxRunning();
        }
        if (q.weight() != null && (q.weight() < 1 || q.weight() > Quota.MAX_WEIGHT)) {
            return "weight must be 1.." + Quota.MAX_WEIGHT + ", was " + q.weight();
        }
        return null;
    }

    private static String taskPage(Event.Query q) {
        Event.TaskFilter p = q.page();
        if (q.id() == null || p == null) {
            return "a task page needs a job id and a filter";
        }
        if (p.offset() < 0 || p.limit() < 1 || p.limit() > Event.TaskFilter.MAX_LIMIT) {
            return "a task page needs offset >= 0 and limit 1.." + Event.TaskFilter.MAX_LIMIT + ", was " + p.offset()
                    + ", " + p.limit();
        }
        return null;
    }

    private static String heartbeatLists(List<Event.Report> results, List<Event.RunningAttempt> running) {
        if (results == null || running == null) {
            return "results and running are required";
        }
        for (Event.Report r : results) {
            if (r == null || r.jobId() == null || r.outcome() == null) {
                return "every result needs a jobId and an outcome";
            }
        }
        for (Event.RunningAttempt a : running) {
            if (a == null || a.jobId() == null) {
                return "every running attempt needs a jobId";
            }
        }
        return null;
    }

    private static String scheduleOp(ScheduleOp op) {
        if (op == null) {
            return "schedule operation is required";
        } else if (op instanceof ScheduleOp.Add a) {
            return a.definition() == null || a.definition().id() == null ? "schedule definition and name are required" : null;
        } else if (op instanceof ScheduleOp.SetPaused p) {
            return p.scheduleId() == null ? "schedule name is required" : null;
        } else if (op instanceof ScheduleOp.Remove r) {
            return r.scheduleId() == null ? "schedule name is required" : null;
        } else if (op instanceof ScheduleOp.RunNow r) {
            return r.scheduleId() == null || r.requestKey() == null ? "schedule name and request key are required" : null;
        } else if (op instanceof ScheduleOp.Get g) {
            return g.scheduleId() == null ? "schedule name is required" : null;
        } else if (op instanceof ScheduleOp.Fired f) {
            return f.scheduleId() == null ? "schedule name is required" : null;
        } else if (op instanceof ScheduleOp.CatchUp c) {
            return c.scheduleId() == null || c.latestMissedMs() == null ? "schedule name and missed times are required" : null;
        }
        return null;
    }

    /** The request an event answers, or 0 for an event that needs no reply. */
    static long requestId(Event e) {
        if (e instanceof Event.SubmitJob s) {
            return s.requestId();
        } else if (e instanceof Event.SubmitWorkflow w) {
            return w.requestId();
        } else if (e instanceof Event.RegisterAgent r) {
            return r.requestId();
        } else if (e instanceof Event.Heartbeat h) {
            return h.requestId();
        } else if (e instanceof Event.CancelJob c) {
            return c.requestId();
        } else if (e instanceof Event.DrainAgent d) {
            return d.requestId();
        } else if (e instanceof Event.ForgetAgent f) {
            return f.requestId();
        } else if (e instanceof Event.Query q) {
            return q.requestId();
        } else if (e instanceof Event.LocateTask l) {
            return l.requestId();
        } else if (e instanceof Event.ScheduleCommand s) {
            return s.requestId();
        } else if (e instanceof Event.SetQuota q) {
            return q.requestId();
        } else if (e instanceof Event.RemoveQuota r) {
            return r.requestId();
        }
        return 0;
    }
}
