package io.drover.web.api;

import io.drover.http.HttpProblem;
import io.drover.sdk.AccessDeniedException;
import io.drover.sdk.CoordinatorUnavailableException;
import io.drover.sdk.DroverException;
import io.drover.sdk.InvalidJobException;
import io.drover.sdk.NoCoordinatorListeningException;

/**
 * The SDK's typed errors as HTTP statuses, with the SDK's message (which says what is wrong and what to do; an
 * access refusal names the permission and the role that has it). Branches on types only, never on message text.
 */
final class SdkErrors {
    private SdkErrors() {
    }

    /**
     * @param refusedStatus what the coordinator refusing the request as invalid means for this route: 400 for a
     *                      malformed request, 404 where the only thing it can refuse is an unknown id or name, 409
     *                      where the target exists and the refusal is about its state
     */
    static HttpProblem problem(RuntimeException e, int refusedStatus) {
        if (e instanceof AccessDeniedException denied) {
            // A refusal naming a permission is the role's (403); one without is about the token itself (401).
            return new HttpProblem(denied.permission().isPresent() ? 403 : 401, e.getMessage());
        }
        if (e instanceof InvalidJobException) {
            return new HttpProblem(refusedStatus, e.getMessage());
        }
        if (e instanceof IllegalArgumentException) {
            return HttpProblem.badRequest(e.getMessage());
        }
        if (e instanceof NoCoordinatorListeningException || e instanceof CoordinatorUnavailableException) {
            return HttpProblem.unavailable("no leading coordinator answered: " + e.getMessage());
        }
        if (e instanceof DroverException) {
            return HttpProblem.unavailable(e.getMessage());
        }
        throw e;
    }
}
