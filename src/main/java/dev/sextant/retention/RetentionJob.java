package dev.sextant.retention;

import dev.sextant.jobs.Job;
import dev.sextant.jobs.JobHandler;
import dev.sextant.jobs.JobQueue;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The handler of kind {@value #KIND}: runs each {@link RetentionCleanup} in turn within a time
 * budget. When the budget runs out before everything expired is gone, it queues a follow-up
 * {@value #KIND} job (claimed, as every job of the kind, only inside the off-peak window) and
 * succeeds; the follow-up starts again from the first cleanup, which finds what is left. Deleting
 * what is expired is idempotent, so a repeated delivery only finds less to do.
 */
public final class RetentionJob implements JobHandler {

  public static final String KIND = "retention";

  private final List<RetentionCleanup> cleanups;
  private final JobQueue queue;
  private final long timeBudgetMs;
  private final int maxAttempts;

  /**
   * @param maxAttempts attempts of a follow-up job
   */
  public RetentionJob(List<RetentionCleanup> cleanups, JobQueue queue, long timeBudgetMs,
      int maxAttempts) {
    this.cleanups = List.copyOf(cleanups);
    this.queue = queue;
    this.timeBudgetMs = timeBudgetMs;
    this.maxAttempts = maxAttempts;
  }

  @Override
  public Future<Void> handle(Job job) {
    long deadline = System.nanoTime() + timeBudgetMs * 1_000_000;
    return runFrom(0, deadline).compose(finished -> finished
        ? Future.succeededFuture()
        : followUp(job.payload().getInteger("round", 0) + 1));
  }

  private Future<Boolean> runFrom(int next, long deadline) {
    if (next == cleanups.size()) {
      return Future.succeededFuture(true);
    }
    return cleanups.get(next).run(deadline)
        .compose(finished -> finished ? runFrom(next + 1, deadline) : Future.succeededFuture(false));
  }

  /**
   * Queues round {@code round}. Its dedup key alternates between two values, so the running
   * round (holding the other) never blocks it, while a repeated delivery of this round finds its
   * follow-up still waiting and queues no second one.
   */
  private Future<Void> followUp(int round) {
    return queue.enqueue(KIND, new JsonObject().put("round", round),
        "retention:follow-up:" + (round % 2), 0, maxAttempts).mapEmpty();
  }
}
