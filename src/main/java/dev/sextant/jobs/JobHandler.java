package dev.sextant.jobs;

import io.vertx.core.Future;

/**
 * Runs the jobs of one kind. A job is delivered at least once (a worker may die after the work and
 * before its completion is recorded), so a handler must be idempotent.
 *
 * <p>The handler runs on the worker's event loop and must not block it: blocking work goes to
 * {@code executeBlocking}. Its future's success marks the job done; a failure (or a synchronous
 * exception) schedules a retry with backoff, or makes the job dead after its last attempt. A
 * future not complete within {@code jobs.job_timeout_ms} counts as failed, and its slot is given
 * to the next job.
 */
@FunctionalInterface
public interface JobHandler {

  Future<Void> handle(Job job);
}
