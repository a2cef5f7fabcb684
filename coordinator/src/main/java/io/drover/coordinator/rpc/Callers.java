package io.drover.coordinator.rpc;

import io.drover.coordinator.auth.AccessDecision;
import io.drover.coordinator.auth.AuditRecord;
import io.drover.coordinator.auth.Permission;
import io.drover.coordinator.auth.Principal;
import io.drover.coordinator.auth.TokenVerifier;
import io.drover.coordinator.store.Epoch;
import io.drover.protocol.thrift.AccessDenied;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.NotLeader;
import java.util.Optional;
import java.util.function.Function;
import org.apache.thrift.async.AsyncMethodCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who calls, whether they may, and the audit record of what they did: the mechanics behind
 * {@link ClientAccess}. A caller is taken from its connection at the start of each call (the
 * principal its hello established, the peer address the transport saw), on the Thrift thread.
 */
final class Callers {
    private static final Logger log = LoggerFactory.getLogger(Callers.class);
    static final String NO_HELLO = "no hello with a token on this connection";

    /** One call's caller, with the term (epoch) it is served in, if this coordinator leads. */
    record Caller(Principal principal, String remote, Optional<Epoch> epoch) {
    }

    private final ConnectionTracker connections;
    private final CoreGateway core;
    private final ClientSecurity security;

    Callers(ConnectionTracker connections, CoreGateway core, ClientSecurity security) {
        this.connections = connections;
        this.core = core;
        this.security = security;
    }

    /** Sets the connection's principal from the hello's token (anonymous with the reason when it has none that verifies). */
    void authenticate(Hello hello) {
        ConnectionTracker.Connection c = connections.current();
        c.principal = principalOf(hello, c.peer.address());
    }

    private Principal principalOf(Hello hello, String remote) {
        if (security.verifier().isEmpty()) {
            return Principal.insecure();
        }
        String token = hello == null ? null : hello.getToken();
        if (token == null || token.isEmpty()) {
            return Principal.anonymous("no token");
        }
        try {
            return Principal.token(security.verifier().get().verify(token)).at(security.clock().instant());
        } catch (TokenVerifier.Rejected e) {
            log.info("client at {} sent a token that was refused: {}", remote, e.getMessage());
            return Principal.anonymous("token refused: " + e.getMessage());
        }
    }

    /** The caller of the request this thread is handling. */
    Caller current() {
        ConnectionTracker.Connection c = connections.current();
        Principal p = security.insecure() ? Principal.insecure()
                : c.principal == null ? Principal.anonymous(NO_HELLO) : c.principal.at(security.clock().instant());
        return new Caller(p, c.peer.address(), core.term().map(t -> t.epoch()));
    }

    AccessDecision decide(Caller caller, Permission permission) {
        return security.policy().decide(caller.principal(), permission);
    }

    /** A refusal for lack of {@code permission}, its message saying why it applies ({@code context}). */
    AccessDecision.Denied deny(Caller caller, Permission permission, String context) {
        return security.policy().deny(caller.principal(), permission, context);
    }

    /**
     * True when the caller may; otherwise answers {@code done} and returns false: with NotLeader on a
     * standby (the leader refuses and audits it), else with AccessDenied, audited when {@code action}
     * is a mutating call's name (null: a read, not audited).
     */
    boolean permitted(Caller caller, Permission permission, String action, String target, AsyncMethodCallback<?> done) {
        AccessDecision decision = decide(caller, permission);
        if (decision instanceof AccessDecision.Denied denied) {
            refuse(caller, denied, action, target, done);
            return false;
        }
        return true;
    }

    /** Answers {@code done} with the refusal (see {@link #permitted}); {@code detail} is added to the message. */
    void refuse(Caller caller, AccessDecision.Denied denied, String action, String target, AsyncMethodCallback<?> done) {
        if (caller.epoch().isEmpty()) {
            done.onError(core.notLeader());
            return;
        }
        log.info("refused {} from {} at {} ({}): {}", action == null ? "a read" : action, caller.principal().who(),
                caller.remote(), target, denied.message());
        if (action != null) {
            audit(caller, action, target, "denied: needs " + denied.missing().key());
        }
        done.onError(new AccessDenied(denied.message()).setPermission(denied.missing().key()));
    }

    /** Writes an audit record for {@code caller}, stamped now, under the epoch its call was served in. */
    void audit(Caller caller, String action, String target, String outcome) {
        caller.epoch().ifPresent(epoch -> security.audit().record(epoch, new AuditRecord(security.clock().millis(),
                caller.principal().who(), caller.principal().roleLabel(), action, target, caller.remote(), outcome)));
    }

    /**
     * {@code done}, recording the call's outcome once it is known: "ok" (with the target the answer
     * names, e.g. the new job's id), or "failed: why". A NotLeader answer changed nothing and is not
     * recorded; an AccessDenied was recorded as "denied" by {@link #refuse}.
     */
    <T> AsyncMethodCallback<T> audited(Caller caller, String action, String target, Function<T, String> targetOf,
                                       AsyncMethodCallback<T> done) {
        return new AsyncMethodCallback<>() {
            @Override
            public void onComplete(T value) {
                String named = target;
                try {
                    named = targetOf.apply(value);
                } catch (RuntimeException e) {
                    log.warn("could not name the target of {} for the audit log; keeping '{}'", action, target, e);
                }
                audit(caller, action, named, "ok");
                done.onComplete(value);
            }

            @Override
            public void onError(Exception e) {
                if (!(e instanceof NotLeader) && !(e instanceof AccessDenied)) {
                    audit(caller, action, target, "failed: " + e.getMessage());
                }
                done.onError(e);
            }
        };
    }
}
