package io.drover.coordinator.schedule;

import io.drover.coordinator.core.Event;
import io.drover.coordinator.core.Response;
import io.drover.coordinator.core.ScheduleDefinition;
import io.drover.coordinator.core.ScheduleOp;
import io.drover.coordinator.core.ScheduleSnapshot;
import io.drover.coordinator.engine.CoreLoop;
import io.drover.coordinator.engine.LeadershipLostException;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's cron triggers: an in-memory Quartz scheduler (RAMJobStore, a small daemon pool)
 * that lives exactly as long as one leadership term. It holds no state of its own: on start it
 * reads every schedule from the core, and on {@link #changed} it re-reads one.
 *
 * <p>Arming a schedule: the cron times in (last fire time, now] passed unfired and go to the core
 * as one {@link ScheduleOp.CatchUp}: those no leader ran (or that passed while the schedule was
 * paused) go to the misfire policy, those that only passed while this term, add or resume was
 * arming the trigger fire as usual; then a CronTrigger in the schedule's zone is armed from the next whole
 * second on. A fire only hands {@link ScheduleOp.Fired}(S, T) to the core loop; the core applies
 * the overlap policy and starts the run, so a fire never touches state from Quartz's thread.
 *
 * <p>Quartz's own misfire handling is "do nothing": a trigger late by more than Quartz's
 * threshold (the process stalled for a minute) skips to its next time rather than firing with a
 * scheduled time that is not a cron time. The next leader counts such a time as missed.
 */
public final class QuartzTriggers implements TriggerEngine, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QuartzTriggers.class);
    private static final String GROUP = "drover";
    /** Most missed cron times sent to the core per schedule; FIRE_ALL's bound is at most this. */
    static final int MAX_CATCH_UP = 1_000;

    private enum Lifecycle { LATENT, STARTED, CLOSED }

    private final String name;
    private final CoreLoop loop;
    private final AtomicReference<Lifecycle> state = new AtomicReference<>(Lifecycle.LATENT);
    private final ExecutorService worker;
    private Scheduler quartz;

    /** @param name unique in this JVM while the engine runs (Quartz registers schedulers by name) */
    public QuartzTriggers(String name, CoreLoop loop) {
        this.name = name;
        this.loop = loop;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "drover-schedules-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts Quartz and arms every schedule the core knows (in the background). */
    public QuartzTriggers start() {
        if (!state.compareAndSet(Lifecycle.LATENT, Lifecycle.STARTED)) {
            throw new IllegalStateException("schedule triggers already started or closed");
        }
        try {
            StdSchedulerFactory factory = new StdSchedulerFactory(properties());
            quartz = factory.getScheduler();
            quartz.setJobFactory((bundle, scheduler) -> new Fire(this));
            quartz.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the Quartz scheduler: " + e.getMessage(), e);
        }
        worker.execute(this::armAll);
        return this;
    }

    private Properties properties() {
        Properties p = new Properties();
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "drover-" + name);
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, "leader");
        p.setProperty(StdSchedulerFactory.PROP_SCHED_MAKE_SCHEDULER_THREAD_DAEMON, "true");
        p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.simpl.RAMJobStore");
        p.setProperty(StdSchedulerFactory.PROP_THREAD_POOL_CLASS, "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", "2");
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "drover-quartz-" + name);
        return p;
    }

    @Override
    public void changed(String scheduleId) {
        if (state.get() == Lifecycle.STARTED) {
            worker.execute(() -> arm(scheduleId));
        }
    }

    private void armAll() {
        try {
            List<ScheduleSnapshot> all = ask(new ScheduleOp.ListAll());
            for (ScheduleSnapshot s : all) {
                arm(s);
            }
            log.info("armed {} schedule(s)", all.size());
        } catch (LeadershipLostException e) {
            log.debug("leadership ended before the schedules were armed");
        }
    }

    private void arm(String scheduleId) {
        try {
            quartz.unscheduleJob(TriggerKey.triggerKey(scheduleId, GROUP));
            List<ScheduleSnapshot> found = ask(new ScheduleOp.Get(scheduleId));
            if (!found.isEmpty()) {
                arm(found.get(0));
            }
        } catch (LeadershipLostException e) {
            log.debug("leadership ended before schedule {} was armed", scheduleId);
        } catch (SchedulerException e) {
            log.warn("could not re-arm schedule {}: {}", scheduleId, e.toString());
        }
    }

    private void arm(ScheduleSnapshot s) {
        ScheduleDefinition d = s.definition();
        if (d.paused() || state.get() != Lifecycle.STARTED) {
            return;
        }
        try {
            CronExpression cron = CronTimes.parse(d.cron(), d.zone());
            long now = loop.nowMs();
            CronTimes.Missed missed = CronTimes.missed(cron, s.lastFireMs(), now, MAX_CATCH_UP);
            if (missed.count() > 0) {
                loop.tell(new Event.ScheduleCommand(-1, now, new ScheduleOp.CatchUp(d.id(), missed.latest(), missed.count())));
            }
            // Quartz's first fire is the first cron time at or after startAt; the next whole second
            // is past now, and every cron time up to now was handled as missed above.
            long startAt = (now / 1000 + 1) * 1000;
            Trigger trigger = trigger(d.id(), cron, startAt);
            JobDetail job = JobBuilder.newJob(Fire.class).withIdentity(d.id(), GROUP).build();
            quartz.scheduleJob(job, Set.of(trigger), true);
            log.debug("schedule {} armed: next fire {}", d.id(), trigger.getNextFireTime());
        } catch (IllegalArgumentException | SchedulerException e) {
            log.error("cannot arm schedule {} ('{}' in {}): {}", d.id(), d.cron(), d.zone(), e.getMessage());
        }
    }

    /** The trigger a schedule is armed with: its cron in its zone, first fire at or after {@code startAtMs}. */
    static Trigger trigger(String scheduleId, CronExpression cron, long startAtMs) {
        return TriggerBuilder.newTrigger().withIdentity(scheduleId, GROUP).forJob(scheduleId, GROUP)
                .withSchedule(CronScheduleBuilder.cronSchedule(cron).withMisfireHandlingInstructionDoNothing())
                .startAt(new Date(startAtMs)).build();
    }

    private void fired(JobKey key, Date scheduled) {
        loop.tell(new Event.ScheduleCommand(-1, loop.nowMs(), new ScheduleOp.Fired(key.getName(), scheduled.getTime())));
    }

    private List<ScheduleSnapshot> ask(ScheduleOp op) {
        try {
            Response r = loop.offer(id -> new Event.ScheduleCommand(id, loop.nowMs(), op)).get(30, TimeUnit.SECONDS);
            return r instanceof Response.ScheduleAnswer a ? a.schedules() : List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeadershipLostException("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new LeadershipLostException("the core did not answer: " + e);
        }
    }

    /** Stops every trigger at once; a fire in flight reaches a closed core loop and is dropped. */
    @Override
    public void close() {
        if (state.getAndSet(Lifecycle.CLOSED) != Lifecycle.STARTED) {
            return;
        }
        worker.shutdownNow();
        try {
            quartz.shutdown(false);
        } catch (SchedulerException e) {
            log.warn("Quartz did not shut down cleanly: {}", e.toString());
        }
    }

    /** What Quartz runs at a fire: created by the engine's job factory, bound to it. */
    static final class Fire implements Job {
        private final QuartzTriggers engine;

        Fire(QuartzTriggers engine) {
            this.engine = engine;
        }

        @Override
        public void execute(JobExecutionContext context) {
            engine.fired(context.getJobDetail().getKey(), context.getScheduledFireTime());
        }
    }
}
