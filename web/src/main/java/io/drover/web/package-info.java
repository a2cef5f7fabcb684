/**
 * What a coordinator serves over HTTP for people and programs: the JSON API ({@code io.drover.web.api}), whose
 * JSON shapes ({@code io.drover.web.api.dto}) the CLI prints too, and the console's assets.
 *
 * <p>One entry: {@link io.drover.web.WebRoutes#install}, called by the coordinator process with a
 * {@link io.drover.web.WebContext}. The API is a gateway: every request is served by calling the coordinators'
 * client service through the SDK with the caller's own token, so who may do what, validation, audit and
 * leader-following are exactly the CLI's, and a standby answers by forwarding to the leader.
 */
package io.drover.web;
