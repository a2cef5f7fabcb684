package io.drover.coordinator.auth;

/**
 * One kind of client call, as the role table in {@code security/README.md} grants it. The
 * {@link #key()} is what refusals and {@code AccessDenied.permission} name.
 */
public enum Permission {
    JOBS_READ("jobs.read", "read jobs"),
    JOBS_SUBMIT("jobs.submit", "submit jobs or upload artifacts"),
    JOBS_CANCEL_OWN("jobs.cancel.own", "cancel its own jobs"),
    JOBS_CANCEL_OTHERS("jobs.cancel.others", "cancel other users' jobs"),
    LOGS_READ_OWN("logs.read.own", "read the logs of its own jobs"),
    LOGS_READ_OTHERS("logs.read.others", "read the logs of other users' jobs"),
    AGENTS_READ("agents.read", "list agents"),
    AGENTS_MANAGE("agents.manage", "drain, undrain, forget or revoke agents"),
    SCHEDULES_READ("schedules.read", "read schedules"),
    SCHEDULES_MANAGE("schedules.manage", "add, pause, resume, remove or run schedules"),
    AUDIT_READ("audit.read", "read the audit log"),
    STORE_READ("store.read", "read the store's sizes"),
    QUOTAS_MANAGE("quotas.manage", "set or remove owners' quotas");

    private final String key;
    private final String action;

    Permission(String key, String action) {
        this.key = key;
        this.action = action;
    }

    /** "jobs.cancel.others". */
    public String key() {
        return key;
    }

    /** What it allows, as a verb phrase: "cancel other users' jobs". */
    public String action() {
        return action;
    }

    @Override
    public String toString() {
        return key;
    }
}
