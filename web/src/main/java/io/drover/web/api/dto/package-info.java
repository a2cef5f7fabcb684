/**
 * The JSON shapes of the HTTP API, as records, and {@link io.drover.web.api.dto.Dtos}, which maps the SDK's views
 * to them. The CLI's {@code --output json} prints the same records, so a script written against one works against
 * the other. Times are ISO-8601 UTC strings, durations whole seconds or milliseconds as the field name says;
 * absent values are {@code null}. Fields are only ever added.
 */
package io.drover.web.api.dto;
