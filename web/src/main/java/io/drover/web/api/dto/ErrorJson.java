package io.drover.web.api.dto;

/** Every error answer: {@code {"error": "what is wrong and what to do"}} (the same shape the HTTP server uses). */
public record ErrorJson(String error) {
}
