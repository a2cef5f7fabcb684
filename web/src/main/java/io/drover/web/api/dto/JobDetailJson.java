package io.drover.web.api.dto;

import java.util.List;

/** {@code drover status JOB --tasks --output json}: the job and every task. */
public record JobDetailJson(JobJson job, List<TaskJson> tasks) {
    public JobDetailJson {
        tasks = List.copyOf(tasks);
    }
}
