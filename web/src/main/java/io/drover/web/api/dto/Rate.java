package io.drover.web.api.dto;

import java.util.Optional;

/**
 * How fast a job finishes tasks: {@code perSecond} tasks (succeeded or failed) per second, and the seconds left
 * at that pace ({@code etaSeconds}, empty when the pace is zero).
 */
public record Rate(double perSecond, Optional<Long> etaSeconds) {
    public Rate {
        if (perSecond < 0 || Double.isNaN(perSecond)) {
            throw new IllegalArgumentException("a rate is >= 0, not " + perSecond);
        }
    }
}
