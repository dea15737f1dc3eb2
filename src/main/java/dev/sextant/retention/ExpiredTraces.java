package dev.sextant.retention;

import dev.sextant.cache.ResponseCache;
import dev.sextant.retention.RetentionRepository.Cutoff;
import dev.sextant.retention.RetentionRepository.Removed;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes, project by project, the traces sorted before the project's {@code retention_days}
 * with their spans and scores, {@code batchTraces} traces per statement (each its own
 * transaction), oldest first. After each batch that removed something, the project's cached reads
 * are invalidated, so no read serves a deleted trace, and {@code afterDelete} is told (it queues a
 * roll-up pass over the minutes the batch marked, so the dashboard forgets them within seconds
 * rather than at the next scheduled pass).
 */
public final class ExpiredTraces implements RetentionCleanup {

  private static final Logger log = LoggerFactory.getLogger(ExpiredTraces.class);

  private final RetentionRepository repository;
  private final ResponseCache cache;
  private final int batchTraces;
  private final Consumer<UUID> afterDelete;

  public ExpiredTraces(Pool pool, ResponseCache cache, int batchTraces, Consumer<UUID> afterDelete) {
    this.repository = new RetentionRepository(pool);
    this.cache = cache;
    this.batchTraces = batchTraces;
    this.afterDelete = afterDelete;
  }

  @Override
  public String name() {
    return "traces";
  }

  @Override
  public Future<Boolean> run(long deadlineNanos) {
    return repository.cutoffs().compose(cutoffs -> projects(cutoffs, 0, deadlineNanos, Removed.NONE));
  }

  private Future<Boolean> projects(List<Cutoff> cutoffs, int next, long deadlineNanos, Removed sum) {
    if (next == cutoffs.size()) {
      logRemoved(sum, true);
      return Future.succeededFuture(true);
    }
    return drain(cutoffs.get(next), deadlineNanos, Removed.NONE).compose(drained -> {
      Removed total = sum.plus(drained.removed());
      if (!drained.finished()) {
        logRemoved(total, false);
        return Future.succeededFuture(false);
      }
      return projects(cutoffs, next + 1, deadlineNanos, total);
    });
  }

  private record Drained(boolean finished, Removed removed) {}

  /** Batches of one project until a batch finds fewer than a full batch, or time is up. */
  private Future<Drained> drain(Cutoff cutoff, long deadlineNanos, Removed sum) {
    return repository.deleteExpired(cutoff, batchTraces)
        .compose(removed -> {
          if (removed.traces() == 0) {
            return Future.succeededFuture(removed);
          }
          afterDelete.accept(cutoff.projectId());
          return cache.invalidate(cutoff.projectId()).map(removed);
        })
        .compose(removed -> {
          Removed total = sum.plus(removed);
          if (removed.found() < batchTraces) {
            return Future.succeededFuture(new Drained(true, total));
          }
          if (System.nanoTime() - deadlineNanos >= 0) {
            return Future.succeededFuture(new Drained(false, total));
          }
          return drain(cutoff, deadlineNanos, total);
        });
  }

  private static void logRemoved(Removed removed, boolean finished) {
    if (removed.traces() > 0 || !finished) {
      log.info("retention removed {} traces, {} spans and {} scores{}", removed.traces(),
          removed.spans(), removed.scores(), finished ? "" : "; out of time, the rest follows");
    }
  }
}
