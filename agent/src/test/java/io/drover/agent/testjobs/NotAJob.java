package io.drover.agent.testjobs;

/** Named as an entry class by mistake: it does not implement ShardedJob. */
public class NotAJob {
}
