package io.drover.coordinator.rpc;

import io.drover.coordinator.core.Response;
import io.drover.coordinator.core.ScheduleOp;
import io.drover.coordinator.secrets.SecretSealer;
import io.drover.protocol.thrift.InvalidRequest;
import io.drover.protocol.thrift.ScheduleRunView;
import io.drover.protocol.thrift.ScheduleSpec;
import io.drover.protocol.thrift.ScheduleView;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.thrift.async.AsyncMethodCallback;

/**
 * Cron schedules, named by their ids. Every request goes to the core; a change re-arms the
 * schedule's trigger once the core has made it durable.
 */
final class ScheduleCalls {
    private final CoreGateway core;
    private final SecretSealer secrets;

    ScheduleCalls(CoreGateway core, SecretSealer secrets) {
        this.core = core;
        this.secrets = secrets;
    }

    void add(ScheduleSpec spec, AsyncMethodCallback<ScheduleView> done) {
        core.onIoThen(done, term -> ScheduleWire.toDefinition(spec, term.artifacts(), secrets)).thenAccept(def ->
                ask(done, def.id(), new ScheduleOp.Add(def), ScheduleWire::view));
    }

    void list(AsyncMethodCallback<List<ScheduleView>> done) {
        ask(done, null, new ScheduleOp.ListAll(), (answer, now) -> {
            List<ScheduleView> out = new ArrayList<>();
            answer.schedules().forEach(s -> out.add(ScheduleWire.view(s, now)));
            return out;
        });
    }

    void get(String name, AsyncMethodCallback<ScheduleView> done) {
        ask(done, null, new ScheduleOp.Get(name), ScheduleWire::view);
    }

    void setPaused(String name, boolean paused, AsyncMethodCallback<ScheduleView> done) {
        ask(done, name, new ScheduleOp.SetPaused(name, paused), ScheduleWire::view);
    }

    void remove(String name, AsyncMethodCallback<ScheduleView> done) {
        ask(done, name, new ScheduleOp.Remove(name), ScheduleWire::view);
    }

    void runNow(String name, String requestKey, AsyncMethodCallback<ScheduleRunView> done) {
        if (requestKey == null || requestKey.isBlank() || requestKey.length() > 200) {
            done.onError(new InvalidRequest("runScheduleNow needs a requestKey of 1..200 characters"));
            return;
        }
        ask(done, null, new ScheduleOp.RunNow(name, requestKey), (answer, now) -> ScheduleWire.run(answer.run()));
    }

    /** {@code changed}: the schedule whose trigger to re-arm after the answer, or null. */
    private <T> void ask(AsyncMethodCallback<T> done, String changed, ScheduleOp op,
                         BiFunction<Response.ScheduleAnswer, Long, T> map) {
        var term = core.term();
        core.answer(done, CoreAsk.schedule(op), answer -> {
            if (changed != null) {
                term.ifPresent(t -> t.triggers().changed(changed));
            }
            return map.apply(answer, term.map(t -> t.loop().nowMs()).orElse(0L));
        });
    }
}
