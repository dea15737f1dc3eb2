package dev.sextant.retention;

import io.vertx.core.Future;

/**
 * One resource's share of the retention job: removes what is past its retention, in small steps
 * that each hold their locks briefly. The job runs every registered cleanup in turn (traces first;
 * a roll-up package adds its own for the roll-ups past its longest window). A cleanup runs at
 * least once per due time and may run twice or concurrently with itself, so it must be idempotent.
 */
public interface RetentionCleanup {

  /** A short name for logs. */
  String name();

  /**
   * Removes expired rows until none is left, answering true, or until {@code deadlineNanos}
   * ({@link System#nanoTime()}) has passed between two steps, answering false: the job then
   * queues a follow-up run for the rest.
   */
  Future<Boolean> run(long deadlineNanos);
}
