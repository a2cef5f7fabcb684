package io.drover.protocol;

/**
 * Bounds of the strings, lists and maps a request may carry. The coordinator refuses a request
 * beyond them with InvalidRequest naming the field and the bound, before anything reaches the
 * scheduling core, so every durable fact built from a request stays far below what one ZooKeeper
 * write accepts (1 MiB {@code jute.maxbuffer}). Counts are characters for strings (a character is
 * at most 3 bytes of UTF-8 in the facts), elements for lists, entries for maps.
 */
public final class FieldLimits {
    /** Job ids, agent ids, idempotency and request keys, names and owners. */
    public static final int ID_CHARS = 256;
    /** A host name (DNS allows 253). */
    public static final int HOST_CHARS = 255;
    /** An agent's software version, a peer name in hello. */
    public static final int VERSION_CHARS = 128;
    /** A JVM job's entry class (fully qualified). */
    public static final int CLASS_NAME_CHARS = 1024;
    /** Labels of an agent, or labels a job requires. */
    public static final int LABELS = 64;
    public static final int LABEL_KEY_CHARS = 128;
    public static final int LABEL_VALUE_CHARS = 1024;
    /** Elements of a process job's command line. */
    public static final int COMMAND_ELEMENTS = 1024;
    /** Job arguments. */
    public static final int ARGUMENTS = 10_000;
    /**
     * A job's whole definition as the coordinator stores it (every string: name, owner, key,
     * entry class, command, shard parameters, arguments, labels, environment, working directory).
     * Inputs beyond it belong in the job's own storage.
     */
    public static final int DEFINITION_BYTES = 256 * 1024;
    /** A schedule's cron expression and time zone id. */
    public static final int CRON_CHARS = 200;
    public static final int ZONE_CHARS = 64;
    /** Task results and running attempts in one heartbeat. */
    public static final int HEARTBEAT_RESULTS = 10_000;
    public static final int HEARTBEAT_RUNNING = 100_000;
    /** Slots of one agent. */
    public static final int AGENT_SLOTS = 4096;
    /** An error text a task or log answer carries; longer ones are cut (an agent must not be wedged by its own report). */
    public static final int ERROR_CHARS = 8 * 1024;

    private FieldLimits() {
    }
}
