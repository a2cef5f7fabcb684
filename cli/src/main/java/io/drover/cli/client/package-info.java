/**
 * The client-side {@code drover} subcommands: submit, status, watch, jobs, agents, cancel, drain.
 *
 * <p>Each command is a picocli {@code Callable<Integer>} extending {@link io.drover.cli.client.ClientCommand},
 * which supplies the shared {@link io.drover.cli.client.CoordinatorOptions} ({@code --coordinators},
 * {@code --retry-deadline}, {@code --verbose}), opens a {@link io.drover.sdk.DroverClient}, and maps
 * errors to a single {@code drover: ...} line on stderr and a documented exit code. The top-level
 * {@code drover} command (in dist) registers them with {@link io.drover.cli.client.ClientCommands#addTo}.
 *
 * <p>Output that scripts may parse goes to stdout (job ids, results, tables); progress goes to
 * stderr for {@code submit --wait} so {@code id=$(drover submit ...)} keeps working. Formatting
 * (progress bar, tables, ages, result codecs) lives in small pure classes with their own tests.
 */
package io.drover.cli.client;
