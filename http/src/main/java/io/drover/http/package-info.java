/**
 * The embedded HTTP server coordinators and agents share: {@link io.drover.http.WebServer} on the JDK's
 * own server, {@link io.drover.http.Routes} with path parameters, bounded request bodies and threads,
 * HTTPS with the cluster's certificate, {@link io.drover.http.Json}, health and Prometheus routes.
 *
 * <p>It knows nothing of jobs, tokens' meaning or ZooKeeper: a caller's bearer token reaches the route,
 * which decides. Every byte a client sends is hostile until a route validated it; this package bounds
 * what it reads on the route's behalf (body size, path segment length, queued requests).
 */
package io.drover.http;
