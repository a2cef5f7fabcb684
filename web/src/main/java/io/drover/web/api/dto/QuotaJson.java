package io.drover.web.api.dto;

/**
 * An owner's quota as the leader applies it: {@code maxRunning} null for no cap; {@code explicit} false when the
 * default entry ({@code owner "*"}) applies to it; {@code running} and {@code ready} its tasks now.
 */
public record QuotaJson(String owner, Integer maxRunning, int weight, boolean explicit, int running, int ready) {
}
