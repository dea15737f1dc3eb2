package dev.sextant.jobs;

import dev.sextant.common.Cursors;
import dev.sextant.common.Ids;
import dev.sextant.common.Times;
import dev.sextant.http.AdminToken;
import dev.sextant.http.AsyncHandler;
import dev.sextant.http.Problem;
import dev.sextant.http.QueryParams;
import dev.sextant.http.Responses;
import dev.sextant.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.UUID;

/**
 * The admin's view of the job queue, behind the admin token: list the jobs of one status, queue a
 * failed or dead job again. With no token configured nothing is mounted (404).
 */
public final class JobRoutes implements Routes {

  private static final Set<String> LISTED = Set.of(Job.QUEUED, Job.RUNNING, Job.FAILED, Job.DEAD);

  private final String adminToken;
  private final JobQueue queue;

  public JobRoutes(String adminToken, JobQueue queue) {
    this.adminToken = adminToken;
    this.queue = queue;
  }

  @Override
  public void mount(Router router) {
    if (adminToken == null) {
      return;
    }
    Handler<RoutingContext> admin = AdminToken.require(adminToken);
    router.get("/api/v1/admin/jobs").handler(admin).handler(AsyncHandler.of(this::listJobs));
    router.post("/api/v1/admin/jobs/:id/retry").handler(admin).handler(AsyncHandler.of(this::retryJob));
  }

  private Future<?> listJobs(RoutingContext ctx) {
    String status = ctx.queryParams().get("status");
    if (status == null || !LISTED.contains(status)) {
      throw Problem.invalid("status", "must be one of queued, running, failed, dead");
    }
    Cursors.Position after = QueryParams.uuidCursor(ctx);
    return queue.list(status, after, QueryParams.limit(ctx))
        .compose(page -> Responses.page(ctx, page, JobRoutes::json));
  }

  private Future<?> retryJob(RoutingContext ctx) {
    UUID id = Ids.parseUuid(ctx.pathParam("id"));
    if (id == null) {
      throw Problem.notFound("No such job");
    }
    return queue.retry(id).compose(retried -> switch (retried.outcome()) {
      // the job as the retry left it: a worker woken by it may have claimed it since
      case QUEUED -> Responses.json(ctx, 200, json(retried.job()));
      case NOT_FOUND -> Future.failedFuture(Problem.notFound("No such job"));
      case NOT_RETRYABLE -> Future.failedFuture(
          Problem.conflict("Only a failed or dead job can be retried"));
    });
  }

  static JsonObject json(Job job) {
    return new JsonObject()
        .put("id", job.id().toString())
        .put("kind", job.kind())
        .put("status", job.status())
        .put("payload", job.payload())
        .put("attempts", job.attempts())
        .put("max_attempts", job.maxAttempts())
        .put("run_at", Times.format(job.runAt()))
        .put("lease_until", Times.format(job.leaseUntil()))
        .put("last_error", job.lastError())
        .put("dedup_key", job.dedupKey())
        .put("created_at", Times.format(job.createdAt()))
        .put("updated_at", Times.format(job.updatedAt()))
        .put("finished_at", Times.format(job.finishedAt()));
  }
}
