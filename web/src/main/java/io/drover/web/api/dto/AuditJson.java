package io.drover.web.api.dto;

/** One audit log entry: when, who (token subject), role, action, target, the caller's address and the outcome. */
public record AuditJson(String at, String who, String role, String action, String target, String remote,
                        String outcome) {
}
