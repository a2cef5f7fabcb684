package io.drover.sdk;

/** Which captured output of a task: what it wrote to standard output or to standard error. */
public enum LogStream {
    /** The task's standard output. */
    STDOUT,
    /** The task's standard error. */
    STDERR
}
