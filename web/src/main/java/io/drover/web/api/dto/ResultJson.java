package io.drover.web.api.dto;

/**
 * A result as {@code drover status} shows it: {@code text} when the bytes are printable UTF-8, else {@code hex};
 * cut after {@link Dtos#TEXT_CAP} characters or {@link Dtos#HEX_CAP} bytes ({@code truncated}).
 *
 * @param bytes the result's full size
 */
public record ResultJson(String format, String value, int bytes, boolean truncated) {
}
