package example.jobs;

/** Has the right shape but does not implement ShardedJob. */
public class NotAJob {
    public String runShard(Object context) {
        return "no";
    }
}
