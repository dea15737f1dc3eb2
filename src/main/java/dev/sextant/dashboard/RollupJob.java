package dev.sextant.dashboard;

import dev.sextant.cache.ResponseCache;
import dev.sextant.jobs.Job;
import dev.sextant.jobs.JobHandler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code dashboard_rollup} job: takes the writers' marks, adds their deltas in, then
 * recomputes each project's pending minutes ({@value #MINUTES_PER_STEP} per transaction) until
 * none is left. Idempotent: a pass that dies leaves its deltas and minutes to the next, and
 * recomputing a minute twice gives the same rows. Also keeps the
 * {@code sextant_dashboard_rollup_lag_seconds} gauge: the age of the oldest mark or delta not
 * folded in.
 */
public final class RollupJob implements JobHandler {

  /** The job kind, scheduled in {@code jobs.schedules} and queued by {@link RollupTrigger}. */
  public static final String KIND = "dashboard_rollup";

  private static final Logger log = LoggerFactory.getLogger(RollupJob.class);
  private static final int MINUTES_PER_STEP = 120;
  private static final long LAG_REFRESH_MS = 5_000;

  private final RollupRepository rollups;
  private final ResponseCache cache;
  private final AtomicReference<Double> lagSeconds = new AtomicReference<>(0.0);
  private final AtomicLong lastPassNanos = new AtomicLong();

  /** {@code cache}: the answers read from roll-ups of each project folded are retired there. */
  public RollupJob(Vertx vertx, Pool pool, ResponseCache cache, MeterRegistry registry) {
    this.rollups = new RollupRepository(pool);
    this.cache = cache;
    Gauge.builder("sextant.dashboard.rollup.lag", lagSeconds, AtomicReference::get)
        .description("age of the oldest dashboard roll-up mark not folded in yet (0: none)")
        .baseUnit("seconds")
        .register(registry);
    vertx.setPeriodic(1, LAG_REFRESH_MS, id -> refreshLag());
  }

  @Override
  public Future<Void> handle(Job job) {
    long started = System.nanoTime();
    return rollups.takeMarks()
        .compose(v -> rollups.withPassLock(conn -> rollups.foldDeltas(conn)
            .compose(changed -> rollups.pendingProjects(conn)
                .compose(pending -> foldAll(conn, changed, pending)))))
        .andThen(done -> {
          lastPassNanos.set(System.nanoTime() - started);
          refreshLag();
        });
  }

  /** How long this instance's last pass took (0 before the first): {@link RollupTrigger} paces by it. */
  public long lastPassMs() {
    return TimeUnit.NANOSECONDS.toMillis(lastPassNanos.get());
  }

  /**
   * Recomputes the pending minutes of the {@code pending} projects, then retires the cached
   * answers read from roll-ups of every project a delta or a recompute changed: the dashboard's,
   * and the trace stats (in the family of answers over its trace data).
   */
  private Future<Void> foldAll(SqlConnection conn, Set<UUID> changed, Set<UUID> pending) {
    Set<UUID> projects = new LinkedHashSet<>(changed);
    projects.addAll(pending);
    Future<Void> chain = Future.succeededFuture();
    for (UUID project : projects) {
      chain = chain.compose(v -> (pending.contains(project) ? foldPending(conn, project)
              : Future.<Void>succeededFuture())
          .compose(folded -> cache.invalidate(DashboardRoutes.CACHE_FAMILY, project))
          .compose(invalidated -> cache.invalidate(project)));
    }
    return chain;
  }

  private Future<Void> foldPending(SqlConnection conn, UUID project) {
    return rollups.fold(conn, project, MINUTES_PER_STEP)
        .compose(folded -> folded == MINUTES_PER_STEP ? foldPending(conn, project)
            : Future.succeededFuture());
  }

  private void refreshLag() {
    rollups.lagSeconds().onComplete(ar -> {
      if (ar.succeeded()) {
        lagSeconds.set(ar.result());
      } else {
        log.warn("reading the dashboard roll-up lag failed: {}", ar.cause().getMessage());
      }
    });
  }
}
