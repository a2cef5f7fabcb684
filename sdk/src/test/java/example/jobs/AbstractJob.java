package example.jobs;

import io.drover.sdk.ShardedJob;

/** An abstract job. */
public abstract class AbstractJob implements ShardedJob<String> {
}
