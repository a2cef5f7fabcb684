package io.drover.sdk;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A cron schedule: every fire time starts one run of {@link #job()}, or of every job of
 * {@link #workflow()} at once. Built with {@link #builder(String, String, JobSpec)} or
 * {@link #builder(String, String, Workflow)}; {@link Builder#build()} checks every field and names
 * the one that is wrong. The cron expression itself is checked by the coordinator with Quartz's
 * parser when the schedule is added (the SDK does not depend on Quartz), and so is the job's
 * artifact: both come back as an {@link InvalidJobException} that names them.
 *
 * <p>Cron syntax is Quartz's, seconds first: {@code "0 *&#47;5 * * * ?"} is every five minutes,
 * {@code "0 30 2 ? * MON-FRI"} is 02:30 on weekdays in {@link #zone()}. Daylight-saving
 * transitions behave as Quartz's CronTrigger documents: a time in the hour skipped in spring
 * does not fire that day; a time in the hour repeated in autumn fires once per distinct instant.
 */
public final class ScheduleSpec {
    /** The largest {@link Builder#maxCatchUp(int)}. */
    public static final int MAX_CATCH_UP = 1_000;

    private final String name;
    private final String cron;
    private final ZoneId zone;
    private final JobSpec job;
    private final Workflow workflow;
    private final MisfirePolicy misfire;
    private final int maxCatchUp;
    private final OverlapPolicy overlap;
    private final boolean paused;

    private ScheduleSpec(Builder b) {
        this.name = b.name;
        this.cron = b.cron.trim();
        this.zone = b.zone;
        this.job = b.job;
        this.workflow = b.workflow;
        this.misfire = b.misfire;
        this.maxCatchUp = b.maxCatchUp;
        this.overlap = b.overlap;
        this.paused = b.paused;
    }

    /**
     * Starts a schedule spec; the other settings have defaults.
     *
     * @param name the schedule's id: 1..100 of letters, digits, '.', '_' and '-'; runs are jobs of this name
     * @param cron Quartz cron expression, seconds first
     * @param job  what every fire runs; its idempotency key is ignored (each fire derives its own)
     * @return a builder for the rest of the schedule
     */
    public static Builder builder(String name, String cron, JobSpec job) {
        return new Builder(name, cron, job, null);
    }

    /**
     * Starts a schedule whose every fire submits all jobs of {@code workflow} at once, as
     * {@link DroverClient#submitWorkflow} does: all are accepted or none, dependencies between them
     * name jobs of the workflow (a schedule's workflow may not depend on jobs outside it). Each fire's
     * jobs are named {@code SCHEDULE.NAME} and get their own idempotency keys; overlap policies apply
     * to a fire's jobs as a whole (a fire runs until every job of it ended).
     *
     * <pre>{@code
     * Workflow etl = Workflow.builder()
     *         .job("extract", JobSpec.process(List.of("extract.sh")).build())
     *         .job("load", JobSpec.process(List.of("load.sh")).dependsOn("extract").build())
     *         .build();
     * client.addSchedule(ScheduleSpec.builder("nightly-etl", "0 30 2 * * ?", etl)
     *         .overlap(OverlapPolicy.FORBID).build());
     * }</pre>
     *
     * @param name     the schedule's id: 1..100 of letters, digits, '.', '_' and '-'
     * @param cron     Quartz cron expression, seconds first
     * @param workflow what every fire submits; the jobs' idempotency keys are ignored
     * @return a builder for the rest of the schedule
     */
    public static Builder builder(String name, String cron, Workflow workflow) {
        return new Builder(name, cron, null, workflow);
    }

    /** {@return the schedule's id; its runs are jobs of this name} */
    public String name() { return name; }
    /** {@return the Quartz cron expression, seconds first} */
    public String cron() { return cron; }
    /** {@return the zone the cron expression is read in} */
    public ZoneId zone() { return zone; }
    /** {@return what every fire runs; null when the schedule runs a {@link #workflow()}} */
    public JobSpec job() { return job; }
    /** {@return the workflow every fire submits, when the schedule runs one} */
    public java.util.Optional<Workflow> workflow() { return java.util.Optional.ofNullable(workflow); }
    /** {@return what happens to fire times missed while no coordinator led, or while paused} */
    public MisfirePolicy misfire() { return misfire; }
    /** {@return with {@link MisfirePolicy#FIRE_ALL}, the most missed runs started} */
    public int maxCatchUp() { return maxCatchUp; }
    /** {@return what a fire does while an earlier run still runs} */
    public OverlapPolicy overlap() { return overlap; }
    /** {@return whether the schedule is added paused} */
    public boolean paused() { return paused; }

    /** Sets a schedule's fields; {@link #build()} checks them all. Each setter returns this builder. */
    public static final class Builder {
        private final String name;
        private final String cron;
        private final JobSpec job;
        private final Workflow workflow;
        private ZoneId zone = ZoneId.of("UTC");
        private MisfirePolicy misfire = MisfirePolicy.FIRE_ONCE_NOW;
        private int maxCatchUp = 10;
        private OverlapPolicy overlap = OverlapPolicy.ALLOW;
        private boolean paused;

        private Builder(String name, String cron, JobSpec job, Workflow workflow) {
            this.name = name;
            this.cron = cron;
            this.job = job;
            this.workflow = workflow;
        }

        /**
         * The zone the cron expression is read in. Default UTC.
         *
         * @param zone the zone
         * @return this builder
         */
        public Builder zone(ZoneId zone) { this.zone = zone; return this; }

        /**
         * The zone by IANA id, e.g. "Europe/Berlin".
         *
         * @throws InvalidJobException naming the id when the JDK does not know it
         * @param zoneId an IANA zone id
         * @return this builder
         */
        public Builder zone(String zoneId) {
            try {
                this.zone = ZoneId.of(Objects.requireNonNull(zoneId, "zone"));
            } catch (java.time.DateTimeException e) {
                throw new InvalidJobException("invalid schedule " + name + ": unknown time zone '" + zoneId + "'");
            }
            return this;
        }

        /**
         * Fire times missed while no coordinator led, or while paused. Default {@link MisfirePolicy#FIRE_ONCE_NOW}.
         *
         * @param misfire the policy
         * @return this builder
         */
        public Builder misfire(MisfirePolicy misfire) { this.misfire = misfire; return this; }

        /**
         * {@link MisfirePolicy#FIRE_ALL}: at most this many missed runs, the latest ones. Default 10.
         *
         * @param maxCatchUp 1..{@value ScheduleSpec#MAX_CATCH_UP}
         * @return this builder
         */
        public Builder maxCatchUp(int maxCatchUp) { this.maxCatchUp = maxCatchUp; return this; }

        /**
         * A fire while an earlier run still runs. Default {@link OverlapPolicy#ALLOW}.
         *
         * @param overlap the policy
         * @return this builder
         */
        public Builder overlap(OverlapPolicy overlap) { this.overlap = overlap; return this; }

        /**
         * Added paused: no fires until resumed.
         *
         * @param paused whether to add it paused
         * @return this builder
         */
        public Builder paused(boolean paused) { this.paused = paused; return this; }

        /**
         * The spec, once every field is valid.
         *
         * @return the spec
         * @throws InvalidJobException naming every field that is wrong
         */
        public ScheduleSpec build() {
            List<String> problems = new ArrayList<>();
            if (name == null || !name.matches("[A-Za-z0-9._-]{1,100}")) {
                problems.add("name must be 1..100 of letters, digits, '.', '_' or '-', was '" + name + "'");
            }
            int fields = cron == null ? 0 : cron.trim().split("\\s+").length;
            if (cron == null || cron.isBlank() || fields < 6 || fields > 7) {
                problems.add("cron must be a Quartz cron expression of 6 or 7 fields (seconds first, e.g. "
                        + "\"0 */5 * * * ?\"), was '" + cron + "'");
            }
            if (job == null && workflow == null) {
                problems.add("job is required");
            }
            if (zone == null) {
                problems.add("zone is required");
            }
            if (misfire == null || overlap == null) {
                problems.add("misfire and overlap policies are required");
            }
            if (maxCatchUp < 1 || maxCatchUp > MAX_CATCH_UP) {
                problems.add("maxCatchUp must be 1.." + MAX_CATCH_UP + ", was " + maxCatchUp);
            }
            if (!problems.isEmpty()) {
                throw new InvalidJobException("invalid schedule " + name + ": " + String.join("; ", problems));
            }
            return new ScheduleSpec(this);
        }
    }
}
