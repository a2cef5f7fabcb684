package io.drover.http;

/** One route's handler: a validated {@link Request} in, a {@link Response} or an {@link HttpProblem} out. */
@FunctionalInterface
public interface Route {
    Response handle(Request request) throws HttpProblem;
}
