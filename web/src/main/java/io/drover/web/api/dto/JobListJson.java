package io.drover.web.api.dto;

import java.util.List;

/** Jobs, newest first, after the filters; {@code scanned} is how many of the newest jobs the filters looked at. */
public record JobListJson(List<JobJson> jobs, int scanned) {
    public JobListJson {
        jobs = List.copyOf(jobs);
    }
}
