package io.drover.web.api;

import io.drover.http.HttpProblem;
import io.drover.http.Request;
import io.drover.http.Response;
import io.drover.sdk.JobStatus;
import io.drover.web.api.dto.Dtos;
import io.drover.web.api.dto.ErrorJson;
import io.drover.web.api.dto.JobJson;
import io.drover.web.api.dto.JobListJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /api/v1/events[?job=ID]}: server-sent events for a page that shows a job (event {@code job}) or the
 * job list (event {@code jobs}, the newest {@code limit}). The server asks the coordinators about once a
 * {@link #POLL} for this caller, with the caller's token, and sends an event when a state or count changed, at most
 * once every {@link #PUSH_EVERY} polls (the last event at once): a busy job's counts change every poll, and each
 * write costs a watching browser a wake-up and a frame, so they come every 2 s; a change after a quiet spell comes
 * at the next poll. A comment line keeps idle connections open. A stream ends after {@link #LIFETIME} (the page
 * reconnects), when the job ended (event {@code end}) or when a poll fails (event {@code error}). The web server
 * bounds how many streams are open at once. Streams with the same token watching the same thing share one poll and
 * its serialized event ({@link SharedReads}), so more pages watching cost the coordinator no more calls.
 *
 * <p>With {@code job} and {@code stream=BUCKETS} (and optionally {@code attempts}, {@code maxLanes}, as
 * {@link TaskStreamRoute} takes them), the stream also carries the job's task stream (event {@code stream}) every
 * {@link #PUSH_EVERY} polls and with the last event, written in the same flush as that poll's {@code job} event:
 * a page drawing both gets them in one read and redraws once, and fetches nothing while it watches.
 */
final class EventRoutes {
    static final Duration POLL = Duration.ofSeconds(1);
    static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /** Polls between two writes (job and stream events together): the console redraws at most every 2 s. */
    static final int PUSH_EVERY = 2;

    private final ApiGateway api;

    EventRoutes(ApiGateway api) {
        this.api = api;
    }

    void install(ApiRoutes routes) {
        routes.get(ApiGateway.PREFIX + "/events", this::events);
    }

    /**
     * One poll's event: its frame ({@code event:} and {@code data:} lines, serialized once for every stream that
     * shares the poll), what counts as a change, and whether the stream is done after it.
     */
    private record Event(byte[] frame, String changeKey, boolean last) {
    }

    @FunctionalInterface
    private interface Poll {
        Event next() throws HttpProblem;
    }

    /** The {@code stream} event's frame, when the caller asked for one. */
    @FunctionalInterface
    private interface StreamPoll {
        Optional<byte[]> next() throws HttpProblem;
    }

    private Response events(Request r) throws HttpProblem {
        api.identify(r);
        Optional<String> token = r.bearerToken();
        Optional<String> job = Params.text(r, "job");
        int limit = Params.intParam(r, "limit", 50, 1, 200);
        // Streams of the same token on the same thing share each poll (SharedReads): one upstream call a second.
        SharedReads shared = api.shared();
        Poll poll = job.isPresent()
                ? () -> shared.get(token, "events job " + job.get(), () -> jobEvent(token, job.get()))
                : () -> shared.get(token, "events jobs " + limit, () -> listEvent(token, limit));
        StreamPoll taskStream = streamPoll(r, token, job);
        Event first = poll.next(); // a refusal or an unknown job is a status, before the stream starts
        return Response.stream("text/event-stream; charset=utf-8", out -> stream(out, first, poll, taskStream));
    }

    private StreamPoll streamPoll(Request r, Optional<String> token, Optional<String> job) throws HttpProblem {
        if (r.queryParam("stream").filter(v -> !v.isEmpty()).isEmpty()) {
            return Optional::empty;
        }
        if (job.isEmpty()) {
            throw HttpProblem.badRequest("query parameter stream needs job: the task stream is one job's");
        }
        int buckets = Params.intParam(r, "stream", TaskStreamRoute.MAX_BUCKETS, 1, TaskStreamRoute.MAX_BUCKETS);
        int attempts = Params.intParam(r, "attempts", TaskStreamRoute.MAX_ATTEMPTS, 0, TaskStreamRoute.MAX_ATTEMPTS);
        int maxLanes = Params.intParam(r, "maxLanes", TaskStreamRoute.MAX_LANES, 1, TaskStreamRoute.MAX_LANES);
        byte[] head = "event: stream\ndata: ".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\n\n".getBytes(StandardCharsets.UTF_8);
        return () -> {
            // The shared JSON, framed without parsing it again (JSON holds no raw line break).
            byte[] json = TaskStreamRoute.read(api, token, job.get(), buckets, attempts, maxLanes);
            byte[] frame = new byte[head.length + json.length + tail.length];
            System.arraycopy(head, 0, frame, 0, head.length);
            System.arraycopy(json, 0, frame, head.length, json.length);
            System.arraycopy(tail, 0, frame, head.length + json.length, tail.length);
            return Optional.of(frame);
        };
    }

    private Event jobEvent(Optional<String> token, String id) throws HttpProblem {
        Instant now = api.context().clock().instant();
        JobStatus s = api.callChecked(token, 404, c -> c.job(id).status(false));
        Optional<io.drover.web.api.dto.Rate> rate = s.state().isTerminal() ? Optional.empty()
                : api.rates().observe(s.jobId(), s.submittedAt(), s.succeeded() + s.failed(), s.totalTasks(), now);
        JobJson j = Dtos.job(s, now, rate, Dtos.singleResult(s).orElse(null), null, null);
        return new Event(frame("job", j), key(s), s.state().isTerminal());
    }

    private Event listEvent(Optional<String> token, int limit) throws HttpProblem {
        Instant now = api.context().clock().instant();
        List<JobStatus> jobs = api.callChecked(token, 400, c -> c.jobs(limit));
        StringBuilder key = new StringBuilder();
        jobs.forEach(s -> key.append(key(s)).append(';'));
        List<JobJson> out = jobs.stream().map(s -> Dtos.job(s, now, s.state().isTerminal() ? Optional.empty()
                : api.rates().observe(s.jobId(), s.submittedAt(), s.succeeded() + s.failed(), s.totalTasks(), now)))
                .toList();
        return new Event(frame("jobs", new JobListJson(out, jobs.size())), key.toString(), false);
    }

    private static String key(JobStatus s) {
        return s.jobId() + ' ' + s.state() + ' ' + s.succeeded() + ' ' + s.failed() + ' ' + s.running() + ' ' + s.pending();
    }

    private void stream(OutputStream out, Event first, Poll poll, StreamPoll taskStream) throws IOException {
        Instant end = api.context().clock().instant().plus(LIFETIME);
        send(out, first.frame());
        Instant lastSent = api.context().clock().instant();
        String lastKey = first.changeKey();
        boolean done = first.last();
        int sincePush = 0; // polls since the last job or stream event was written
        while (!done) {
            if (!pause()) {
                return; // the server is stopping
            }
            Instant now = api.context().clock().instant();
            if (!now.isBefore(end)) {
                return;
            }
            Event e;
            Optional<byte[]> streamFrame = Optional.empty();
            try {
                e = poll.next();
                done = e.last();
                // Too soon after the last write, nothing is written: the next poll that may sends what changed by then.
                if (++sincePush >= PUSH_EVERY || done) {
                    streamFrame = taskStream.next();
                }
            } catch (HttpProblem p) {
                send(out, frame("error", new ErrorJson(p.getMessage())));
                return;
            }
            boolean changed = sincePush >= PUSH_EVERY && !e.changeKey().equals(lastKey) || done;
            if (changed) {
                out.write(e.frame());
                lastKey = e.changeKey();
            }
            if (streamFrame.isPresent()) {
                out.write(streamFrame.get());
            }
            if (changed || streamFrame.isPresent()) {
                out.flush();
                lastSent = now;
                sincePush = 0;
            } else if (Duration.between(lastSent, now).compareTo(KEEP_ALIVE) >= 0) {
                out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                lastSent = now;
            }
        }
        send(out, frame("end", java.util.Map.of()));
    }

    /** JSON has no raw line breaks, so one data line carries it. */
    private byte[] frame(String event, Object body) {
        return ("event: " + event + "\ndata: " + api.json().writeString(body) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void send(OutputStream out, byte[] frame) throws IOException {
        out.write(frame);
        out.flush();
    }

    private static boolean pause() {
        try {
            Thread.sleep(POLL.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
