package dev.sextant.dashboard;

import dev.sextant.jobs.JobQueue;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues a {@code dashboard_rollup} pass soon after writes, so the dashboard follows ingest within
 * seconds rather than at the next scheduled minute. Told of every committed write
 * ({@link #accept}), it queues at most one job per {@code delayMs} from this instance, with a dedup
 * key so that the cluster holds at most one such job waiting or running. When one is already
 * there the queue refuses the new one, which may be a pass already past these writes' marks: the
 * trigger then tries again after {@code delayMs} until a job is queued.
 *
 * <p>A queued pass is due after {@code pauseMs} (the last pass's duration times
 * {@code dashboard.rollup_pause_factor}): a pass recomputes the minutes that changes to stored
 * traces marked, so under a sustained stream of late spans back-to-back passes would re-read the
 * current minute over and over, taking a database connection's whole time from ingest. The pause
 * bounds that share to 1 / (1 + factor).
 */
public final class RollupTrigger implements Consumer<UUID> {

  private static final Logger log = LoggerFactory.getLogger(RollupTrigger.class);
  private static final String DEDUP_KEY = "dashboard_rollup:after_write";

  private final Vertx vertx;
  private final JobQueue queue;
  private final long delayMs;
  private final LongSupplier pauseMs;
  private final int maxAttempts;
  /** A timer is set, or a job being queued: writes until then are covered by it. */
  private final AtomicBoolean armed = new AtomicBoolean();
  private final AtomicLong writes = new AtomicLong();

  public RollupTrigger(Vertx vertx, JobQueue queue, long delayMs, LongSupplier pauseMs,
      int maxAttempts) {
    this.vertx = vertx;
    this.queue = queue;
    this.delayMs = Math.max(1, delayMs);
    this.pauseMs = pauseMs;
    this.maxAttempts = maxAttempts;
  }

  /** A write to {@code project} committed (its marks with it). */
  @Override
  public void accept(UUID project) {
    writes.incrementAndGet();
    if (armed.compareAndSet(false, true)) {
      vertx.setTimer(delayMs, id -> enqueue());
    }
  }

  private void enqueue() {
    long seen = writes.get();
    queue.enqueue(RollupJob.KIND, new JsonObject(), DEDUP_KEY, pauseMs.getAsLong(), maxAttempts)
        .onComplete(ar -> queued(ar, seen));
  }

  private void queued(AsyncResult<UUID> ar, long seen) {
    if (ar.succeeded() && ar.result() != null) {
      armed.set(false);
      // writes told while the job was being queued may have committed after its pass began
      if (writes.get() != seen) {
        accept(null);
      }
      return;
    }
    if (ar.failed()) {
      log.warn("queueing a dashboard roll-up failed, trying again: {}", ar.cause().getMessage());
    }
    vertx.setTimer(delayMs, id -> enqueue());
  }
}
