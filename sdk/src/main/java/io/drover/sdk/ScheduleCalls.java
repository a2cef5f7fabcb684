package io.drover.sdk;

import io.drover.sdk.internal.ClientConnection;
import io.drover.sdk.internal.RequestSize;
import io.drover.sdk.internal.ScheduleMappers;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** {@link DroverClient}'s cron schedule calls. */
final class ScheduleCalls {
    private final ClientConnection connection;
    private final JobSubmissions submissions;

    ScheduleCalls(ClientConnection connection, JobSubmissions submissions) {
        this.connection = connection;
        this.submissions = submissions;
    }

    /** Uploads the job jars first: the schedule's own, or every workflow job's as a workflow submit does. */
    ScheduleStatus add(ScheduleSpec spec) {
        Objects.requireNonNull(spec, "spec");
        io.drover.protocol.thrift.ScheduleSpec wire = spec.workflow().isPresent()
                ? ScheduleMappers.toWire(spec, submissions.workflowWire(spec.workflow().get()))
                : ScheduleMappers.toWire(spec, submissions.jarSha(spec.job()));
        RequestSize.check("the schedule", wire);
        return ScheduleMappers.toStatus(connection.call(c -> c.addSchedule(wire)));
    }

    List<ScheduleStatus> list() {
        return connection.call(c -> c.listSchedules()).stream().map(ScheduleMappers::toStatus).toList();
    }

    ScheduleStatus get(String name) {
        String n = requireName(name);
        return ScheduleMappers.toStatus(connection.call(c -> c.getSchedule(n)));
    }

    ScheduleStatus pause(String name) {
        String n = requireName(name);
        return ScheduleMappers.toStatus(connection.call(c -> c.pauseSchedule(n)));
    }

    ScheduleStatus resume(String name) {
        String n = requireName(name);
        return ScheduleMappers.toStatus(connection.call(c -> c.resumeSchedule(n)));
    }

    ScheduleStatus remove(String name) {
        String n = requireName(name);
        return ScheduleMappers.toStatus(connection.call(c -> c.removeSchedule(n)));
    }

    /** The key makes a retry after a lost reply return the run the first attempt started. */
    ScheduleRun runNow(String name) {
        String n = requireName(name);
        String requestKey = UUID.randomUUID().toString();
        return ScheduleMappers.toRun(connection.call(c -> c.runScheduleNow(n, requestKey)));
    }

    private static String requireName(String name) {
        return Args.nonBlank(name, "schedule name");
    }
}
