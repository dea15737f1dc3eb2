package dev.sextant.jobs;

import dev.sextant.config.SextantConfig.JobsConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the registered kinds' jobs: claims due jobs up to each kind's free slots whenever it is
 * woken, by {@code LISTEN sextant_jobs} at once or by its poll, and whenever a slot frees. Every
 * step is asynchronous on this verticle's event loop; handlers must not block it either. Heavy
 * kinds are claimed only inside the off-peak window ({@code jobs.off_peak}). Completions are
 * recorded with the next claim (or on their own in the next turn of the loop), and the leases of
 * the jobs still running are renewed every third of a lease, in one statement.
 */
public final class JobWorkerVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(JobWorkerVerticle.class);
  private static final long GAUGE_REFRESH_MS = 10_000;
  private static final int CLAIMS_IN_FLIGHT = 2;

  private final JobQueue queue;
  private final Map<String, JobHandlers.Registration> handlers;
  private final JobsConfig config;
  private final JobMetrics metrics;
  private final PgConnectOptions listenTo;
  private final Set<String> heavyKinds;
  private final Clock clock;

  private final Map<String, Integer> running = new HashMap<>();
  /** Claims of a kind under way, and the slots they hold for the jobs they may bring. */
  private final Map<String, Integer> claiming = new HashMap<>();
  private final Map<String, Integer> reserved = new HashMap<>();
  private final Map<String, Boolean> wokenWhileClaiming = new HashMap<>();
  private final List<Job> toComplete = new ArrayList<>();
  /** The attempts whose handlers run now, by job id: their leases are renewed. */
  private final Map<UUID, Job> inFlight = new LinkedHashMap<>();
  private boolean completionScheduled;
  private boolean stopped;
  private PgSubscriber subscriber;
  private long pollTimer = -1;
  private long gaugeTimer = -1;
  private long renewTimer = -1;

  /**
   * @param listenTo the database to {@code LISTEN} on (one connection of its own), or null to
   *     rely on polling alone
   */
  public JobWorkerVerticle(JobQueue queue, JobHandlers handlers, JobsConfig config,
      io.micrometer.core.instrument.MeterRegistry registry, PgConnectOptions listenTo) {
    this(queue, handlers, config, registry, listenTo, Clock.systemUTC());
  }

  /**
   * @param clock the time compared with the off-peak window, outside which the heavy kinds
   *     ({@code jobs.schedules.<kind>.heavy}) are not claimed; a test may move it
   */
  public JobWorkerVerticle(JobQueue queue, JobHandlers handlers, JobsConfig config,
      io.micrometer.core.instrument.MeterRegistry registry, PgConnectOptions listenTo, Clock clock) {
    this.heavyKinds = config.heavyKinds();
    this.clock = clock;
    this.queue = queue;
    this.handlers = handlers.byKind();
    this.config = config;
    this.metrics = new JobMetrics(registry);
    this.listenTo = listenTo;
  }

  @Override
  public Future<?> start() {
    handlers.keySet().forEach(kind -> running.put(kind, 0));
    pollTimer = vertx.setPeriodic(config.pollIntervalMs(), id -> wakeAll());
    gaugeTimer = vertx.setPeriodic(1, GAUGE_REFRESH_MS, id -> refreshGauges());
    renewTimer = vertx.setPeriodic(renewIntervalMs(), id -> renewLeases());
    if (listenTo == null || handlers.isEmpty()) {
      wakeAll();
      return Future.succeededFuture();
    }
    subscriber = PgSubscriber.subscriber(vertx, listenTo)
        // keep listening through a restart of PostgreSQL; the poll covers the gap
        .reconnectPolicy(retries -> 1000L);
    subscriber.channel(JobQueue.CHANNEL).handler(kind -> wake(kind));
    // a missed notification costs at most a poll interval: start even when LISTEN cannot connect
    return subscriber.connect()
        .onFailure(e -> log.warn("LISTEN {} failed, polling only: {}", JobQueue.CHANNEL, e.getMessage()))
        .otherwiseEmpty()
        .onComplete(v -> wakeAll());
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(gaugeTimer);
    vertx.cancelTimer(renewTimer);
    Future<Void> closed = subscriber == null ? Future.succeededFuture() : subscriber.close();
    return closed.eventually(this::flushCompletions);
  }

  private void wakeAll() {
    handlers.keySet().forEach(this::wake);
  }

  /**
   * Claims jobs of {@code kind} for its free slots. Up to {@value #CLAIMS_IN_FLIGHT} claims of a
   * kind may be under way at once (SKIP LOCKED keeps them apart), each holding the slots it asked
   * for, so the next batch is on its way while the last one runs.
   */
  private void wake(String kind) {
    JobHandlers.Registration registration = handlers.get(kind);
    if (registration == null || stopped) {
      return;
    }
    if (heavyKinds.contains(kind) && !config.offPeakAt(clock.instant())) {
      return; // stays queued; a poll inside the window claims it
    }
    if (claiming.getOrDefault(kind, 0) >= CLAIMS_IN_FLIGHT) {
      wokenWhileClaiming.put(kind, true);
      return;
    }
    int free = registration.concurrency() - running.get(kind) - reserved.getOrDefault(kind, 0);
    if (free <= 0) {
      return;
    }
    int max = Math.min(free, config.claimBatch());
    claiming.merge(kind, 1, Integer::sum);
    reserved.merge(kind, max, Integer::sum);
    wokenWhileClaiming.put(kind, false);
    // the completions waiting to be recorded ride along with the claim: one statement for both
    List<Job> done = takeCompletions();
    queue.completeAndClaim(done, kind, max, config.leaseSeconds()).onComplete(claimed -> {
      claiming.merge(kind, -1, Integer::sum);
      reserved.merge(kind, -max, Integer::sum);
      if (claimed.failed()) {
        log.warn("claiming {} jobs failed: {}", kind, claimed.cause().getMessage());
        if (!done.isEmpty()) {
          log.warn("recording {} completed jobs with it failed (they will run again when their"
              + " leases expire)", done.size());
        }
        return;
      }
      claimed.result().forEach(job -> run(registration.handler(), job));
      // a full batch suggests more are due; a wake during the claim may be for a newer job
      if (claimed.result().size() == max || wokenWhileClaiming.getOrDefault(kind, false)) {
        wake(kind);
      }
    });
  }

  private void run(JobHandler handler, Job job) {
    running.merge(job.kind(), 1, Integer::sum);
    inFlight.put(job.id(), job);
    long started = System.nanoTime();
    Promise<Void> outcome = Promise.promise();
    long timer = vertx.setTimer(config.jobTimeoutMs(), id -> outcome.tryFail(
        "timed out after " + config.jobTimeoutMs() + " ms"));
    try {
      Future<Void> result = handler.handle(job);
      result.onComplete(ar -> context.runOnContext(v -> {
        if (ar.succeeded()) {
          outcome.tryComplete();
        } else {
          outcome.tryFail(ar.cause());
        }
      }));
    } catch (RuntimeException e) {
      outcome.tryFail(e);
    }
    outcome.future().onComplete(ar -> {
      vertx.cancelTimer(timer);
      running.merge(job.kind(), -1, Integer::sum);
      inFlight.remove(job.id());
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      metrics.ran(job.kind(), took, ar.succeeded() ? "done" : "failed");
      if (ar.succeeded()) {
        toComplete.add(job);
        scheduleCompletions();
      } else {
        recordFailure(job, ar.cause());
      }
      wake(job.kind());
    });
  }

  /** A third of the lease: two renewals may fail before another worker could take a job. */
  private long renewIntervalMs() {
    return Math.max(1, config.leaseSeconds() * 1000L / 3);
  }

  /**
   * Extends the leases of every job whose handler still runs here, in one statement, so a job may
   * run longer than {@code jobs.lease_seconds} (up to {@code jobs.job_timeout_ms}) without being
   * claimed twice; when this worker dies the renewals stop and the leases expire.
   */
  private void renewLeases() {
    if (inFlight.isEmpty() || stopped) {
      return;
    }
    List<Job> attempts = List.copyOf(inFlight.values());
    queue.renew(attempts, config.leaseSeconds()).onFailure(e -> log.warn(
        "renewing the leases of {} running jobs failed (retried in {} ms): {}", attempts.size(),
        renewIntervalMs(), e.getMessage()));
  }

  private void recordFailure(Job job, Throwable cause) {
    metrics.failed(job.kind());
    String error = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
    queue.fail(job, error, backoffMs(job.attempts())).onComplete(ar -> {
      if (ar.failed()) {
        log.warn("recording the failure of job {} failed (its lease will expire): {}", job.id(),
            ar.cause().getMessage());
      } else if (Job.DEAD.equals(ar.result())) {
        log.warn("job {} of kind {} is dead after {} attempts: {}", job.id(), job.kind(),
            job.attempts(), error);
      }
    });
  }

  /** Equal jitter: between half of and the whole of {@code base × 2^(attempt-1)}, so it grows. */
  long backoffMs(int attempt) {
    long full = config.backoffBaseMs() << Math.min(Math.max(attempt - 1, 0), 20);
    long half = full / 2;
    return half + ThreadLocalRandom.current().nextLong(full - half + 1);
  }

  /** Completions of one turn of the loop go to PostgreSQL in one statement. */
  private void scheduleCompletions() {
    if (!completionScheduled) {
      completionScheduled = true;
      context.runOnContext(v -> flushCompletions());
    }
  }

  private Future<Void> flushCompletions() {
    List<Job> batch = takeCompletions();
    if (batch.isEmpty()) {
      return Future.succeededFuture();
    }
    return queue.complete(batch).onFailure(e -> log.warn(
        "recording {} completed jobs failed (they will run again when their leases expire): {}",
        batch.size(), e.getMessage()));
  }

  private List<Job> takeCompletions() {
    completionScheduled = false;
    if (toComplete.isEmpty()) {
      return List.of();
    }
    List<Job> batch = List.copyOf(toComplete);
    toComplete.clear();
    return batch;
  }

  private void refreshGauges() {
    queue.counts().onComplete(ar -> {
      if (ar.succeeded()) {
        metrics.refresh(ar.result());
      } else {
        log.warn("refreshing the job gauges failed: {}", ar.cause().getMessage());
      }
    });
  }
}
