package io.drover.sdk;

/**
 * Straggler backups of a job that allows them: how many backup attempts the leader started for
 * slow tasks, and how many of those committed before the original attempt. Counts are the current
 * leader's (a new leader starts again from zero).
 *
 * @param started backup attempts started
 * @param won backups whose result was the one committed
 */
public record JobBackups(int started, int won) {
}
