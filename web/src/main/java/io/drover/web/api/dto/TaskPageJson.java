package io.drover.web.api.dto;

import java.util.List;

/** A page of a job's tasks: {@code matched} tasks pass the filter, of which {@code tasks} from {@code offset}. */
public record TaskPageJson(String job, int matched, int offset, int limit, List<TaskJson> tasks) {
    public TaskPageJson {
        tasks = List.copyOf(tasks);
    }
}
