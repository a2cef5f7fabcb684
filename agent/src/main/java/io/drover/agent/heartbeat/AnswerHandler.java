package io.drover.agent.heartbeat;

import io.drover.agent.exec.WorkReceiver;
import io.drover.agent.link.HeartbeatAnswer;
import io.drover.agent.logs.LogRequest;
import java.util.function.Consumer;

/**
 * Applies a heartbeat answer, whichever thread got it: contact for the offline bound (and the bound
 * itself when stated), acks, re-registration, new work, cancellations, reads of task output
 * (handed to a reader pool: they never hold up a heartbeat thread).
 */
final class AnswerHandler {
    private final Outbox outbox;
    private final WorkReceiver work;
    private final Registrar registrar;
    private final OfflineStop offline;
    private final Consumer<LogRequest> logRequests;

    AnswerHandler(Outbox outbox, WorkReceiver work, Registrar registrar, OfflineStop offline,
                  Consumer<LogRequest> logRequests) {
        this.outbox = outbox;
        this.work = work;
        this.registrar = registrar;
        this.offline = offline;
        this.logRequests = logRequests;
    }

    void apply(HeartbeatAnswer answer) {
        offline.contact();
        answer.offlineStopAfter().ifPresent(offline::told);
        outbox.acknowledge(answer.acknowledged());
        if (answer.reRegister()) {
            registrar.invalidate();
        }
        // Assignments first: a reply may both assign and cancel the same attempt.
        answer.assignments().forEach(work::assign);
        answer.cancellations().forEach(work::cancel);
        answer.logRequests().forEach(logRequests);
    }
}
