package dev.sextant.jobs;

import com.cronutils.model.time.ExecutionTime;
import dev.sextant.config.SextantConfig.JobsConfig;
import dev.sextant.config.SextantConfig.Schedule;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues the scheduled kinds ({@code jobs.schedules}): every second it looks, for each kind, for
 * the latest due time of its cron expression up to now, and when that time is new to this instance
 * asks {@link JobQueue#enqueueScheduled} to queue it, which PostgreSQL lets exactly one instance
 * do. After a time when no instance ran, only the latest missed due time is queued, not a backlog.
 * Every step is asynchronous on this verticle's event loop; nothing here blocks it.
 */
public final class Scheduler extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
  static final long TICK_MS = 1000;

  private final JobQueue queue;
  private final Map<String, ExecutionTime> schedules = new LinkedHashMap<>();
  private final ZoneId zone;
  private final Clock clock;
  /** Per kind, the latest due time this instance has seen settled (queued here or elsewhere). */
  private final Map<String, Instant> settled = new HashMap<>();
  private boolean ticking;
  private long timer = -1;

  /** @param clock the time the due times are compared with; a test may move it */
  public Scheduler(JobQueue queue, JobsConfig config, Clock clock) {
    this.queue = queue;
    this.zone = config.timeZone();
    this.clock = clock;
    for (Schedule schedule : config.schedules()) {
      if (schedule.scheduled()) {
        schedules.put(schedule.kind(), ExecutionTime.forCron(schedule.cron()));
      }
    }
  }

  @Override
  public Future<?> start() {
    if (!schedules.isEmpty()) {
      timer = vertx.setPeriodic(0, TICK_MS, id -> tickUnlessBusy());
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void tickUnlessBusy() {
    if (ticking) {
      return; // a slow database: the next tick looks again
    }
    ticking = true;
    tick().onComplete(ar -> ticking = false);
  }

  /**
   * Queues each kind's latest due time up to now unless this instance has seen it settled; the
   * answer holds what became of each kind that was looked up (none when nothing new was due).
   */
  public Future<Map<String, JobQueue.ScheduledOutcome>> tick() {
    Instant now = clock.instant();
    Map<String, JobQueue.ScheduledOutcome> outcomes = new ConcurrentHashMap<>();
    List<Future<?>> asked = new ArrayList<>();
    schedules.forEach((kind, execution) -> {
      Instant due = latestDue(execution, now);
      if (due == null || due.equals(settled.get(kind))) {
        return;
      }
      asked.add(queue.enqueueScheduled(kind, due)
          .onSuccess(outcome -> {
            settled.put(kind, due);
            outcomes.put(kind, outcome);
            if (outcome != JobQueue.ScheduledOutcome.TAKEN) {
              log.info("scheduled {} due at {}: {}", kind, due, outcome.name().toLowerCase());
            }
          })
          .onFailure(e -> log.warn("queueing {} due at {} failed, trying again: {}", kind, due,
              e.getMessage())));
    });
    return Future.join(asked).otherwiseEmpty().map(v -> Map.copyOf(outcomes));
  }

  /** The latest time up to {@code now} (included) the expression names, or null if none. */
  Instant latestDue(ExecutionTime execution, Instant now) {
    ZonedDateTime at = now.atZone(zone).truncatedTo(ChronoUnit.SECONDS);
    // lastExecution is strictly before its argument: one second on includes `now` itself
    return execution.lastExecution(at.plusSeconds(1)).map(ZonedDateTime::toInstant).orElse(null);
  }
}
