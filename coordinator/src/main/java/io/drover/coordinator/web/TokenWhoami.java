package io.drover.coordinator.web;

import io.drover.coordinator.auth.AccessPolicy;
import io.drover.coordinator.auth.Permission;
import io.drover.coordinator.auth.Principal;
import io.drover.coordinator.auth.TokenVerifier;
import io.drover.http.HttpProblem;
import io.drover.security.Role;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Whoami} from the coordinator's token verifier and role table; insecure without a verifier. */
public final class TokenWhoami implements Whoami {
    private static final Logger log = LoggerFactory.getLogger(TokenWhoami.class);
    /** Longer than any token we issue; a longer header is not worth verifying. */
    private static final int MAX_TOKEN_CHARS = 4096;

    private final Optional<TokenVerifier> verifier;
    private final AccessPolicy policy;
    private final Clock clock;

    public TokenWhoami(Optional<TokenVerifier> verifier, AccessPolicy policy, Clock clock) {
        this.verifier = verifier;
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public Identity identify(Optional<String> bearerToken) throws HttpProblem {
        if (verifier.isEmpty()) {
            return new Identity(Principal.INSECURE_SUBJECT, Role.ADMIN.label(), keys(EnumSet.allOf(Permission.class)), true);
        }
        String token = bearerToken.orElseThrow(() -> HttpProblem.unauthorized(
                "this coordinator needs a token: send 'Authorization: Bearer TOKEN' (make one with 'drover token create')"));
        if (token.length() > MAX_TOKEN_CHARS) {
            throw HttpProblem.unauthorized("the token is longer than " + MAX_TOKEN_CHARS + " characters; not a Drover token");
        }
        Principal p;
        try {
            p = Principal.token(verifier.get().verify(token)).at(clock.instant());
        } catch (TokenVerifier.Rejected e) {
            log.debug("HTTP caller sent a token that was refused: {}", e.getMessage());
            throw HttpProblem.unauthorized("token refused: " + e.getMessage());
        }
        if (p.anonymous()) {
            throw HttpProblem.unauthorized(p.anonymousReason().orElse("token refused"));
        }
        Role role = p.role().orElseThrow();
        return new Identity(p.subject(), role.label(), keys(policy.permissions(role)), false);
    }

    private static Set<String> keys(Set<Permission> permissions) {
        return permissions.stream().map(Permission::key).collect(Collectors.toUnmodifiableSet());
    }
}
