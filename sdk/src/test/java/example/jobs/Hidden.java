package example.jobs;

/** A job class that is not public. */
class Hidden extends Good {
}
