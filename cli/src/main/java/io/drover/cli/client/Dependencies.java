package io.drover.cli.client;

import io.drover.sdk.Dependency;
import io.drover.sdk.JobSpec;
import java.util.List;
import java.util.Locale;

/** Parses {@code JOB[:succeeded|:finished]} and {@code fail|skip}, as {@code --after} and workflow files write them. */
final class Dependencies {
    private Dependencies() {
    }

    static void apply(JobSpec.Builder b, List<String> after, String onUpstreamFailure, String what) {
        for (String a : after) {
            Dependency d = parse(a, what);
            b.dependsOn(d.jobId(), d.condition());
        }
        if (onUpstreamFailure != null) {
            b.onUpstreamFailure(policy(onUpstreamFailure));
        }
    }

    static Dependency parse(String text, String what) {
        int colon = text.lastIndexOf(':');
        String job = colon < 0 ? text : text.substring(0, colon);
        String condition = colon < 0 ? "succeeded" : text.substring(colon + 1).toLowerCase(Locale.ROOT);
        if (job.isBlank()) {
            throw new IllegalArgumentException(what + " '" + text + "' names no job");
        }
        return switch (condition) {
            case "succeeded" -> new Dependency(job, Dependency.Condition.SUCCEEDED);
            case "finished" -> new Dependency(job, Dependency.Condition.FINISHED);
            default -> throw new IllegalArgumentException(what + " '" + text + "': the condition after ':' must be "
                    + "succeeded or finished, was '" + condition + "'");
        };
    }

    static Dependency.UpstreamFailure policy(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "fail" -> Dependency.UpstreamFailure.FAIL;
            case "skip" -> Dependency.UpstreamFailure.SKIP;
            default -> throw new IllegalArgumentException("on-upstream-failure must be fail or skip, was '" + text + "'");
        };
    }
}
