package dev.sextant.ops;

import dev.sextant.cluster.ClusterMembership;
import dev.sextant.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

/**
 * {@code /health/live} and {@code /health/ready}. Ready needs PostgreSQL (the system of record) and
 * an instance that is not draining; Redis only speeds things up, so its loss marks the instance
 * {@code degraded} but still ready. Neither does the loss of the cluster make it unready: the
 * {@code cluster} check then reports it down, and near-caches fall back to their TTLs.
 */
public final class HealthRoutes implements Routes {

  private static final long CHECK_TIMEOUT_MS = 2000;

  private final Vertx vertx;
  private final Pool pool;
  private final Redis redis;
  private final long redisTimeoutMs;
  private final Lifecycle lifecycle;
  private final ClusterMembership membership;

  public HealthRoutes(Vertx vertx, Pool pool, Redis redis, long redisTimeoutMs, Lifecycle lifecycle,
      ClusterMembership membership) {
    this.vertx = vertx;
    this.pool = pool;
    this.redis = redis;
    this.redisTimeoutMs = redisTimeoutMs;
    this.lifecycle = lifecycle;
    this.membership = membership;
  }

  /** Each router gets checks of its own, run on its verticle's event loop. */
  @Override
  public void mount(Router router) {
    HealthChecks checks = HealthChecks.create(vertx)
        .register("postgres", CHECK_TIMEOUT_MS, promise -> complete(promise,
            pool.query("SELECT 1").execute()))
        .register("redis", CHECK_TIMEOUT_MS, promise -> complete(promise,
            redis.send(Request.cmd(Command.PING)).timeout(redisTimeoutMs, TimeUnit.MILLISECONDS)))
        .register("cluster", promise -> promise.complete(membership.isUp()
            ? Status.OK(membership.describe()) : Status.KO(membership.describe())));
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(ctx -> ready(ctx, checks));
  }

  /** The probe's outcome, unless the check timed out first (then its late answer is dropped). */
  private static void complete(Promise<Status> promise, Future<?> probe) {
    probe.onComplete(result -> promise.tryComplete(result.succeeded()
        ? Status.OK()
        : Status.KO(new JsonObject().put("error", "unreachable"))));
  }

  private void ready(RoutingContext ctx, HealthChecks checks) {
    checks.checkStatus().onComplete(result -> {
      JsonArray list = new JsonArray();
      boolean postgres = false;
      boolean redis = false;
      if (result.succeeded()) {
        for (CheckResult check : result.result().getChecks()) {
          boolean up = CheckResult.isUp(check);
          postgres |= check.getId().equals("postgres") && up;
          redis |= check.getId().equals("redis") && up;
          JsonObject entry = new JsonObject().put("id", check.getId()).put("status", up ? "UP" : "DOWN");
          if (check.getData() != null && !check.getData().isEmpty()) {
            entry.put("data", check.getData());
          }
          list.add(entry);
        }
      }
      lifecycle.recordDatabase(postgres);
      boolean draining = lifecycle.isDraining();
      boolean ready = postgres && !draining;
      if (!ready) {
        // a load balancer or probe that honours it comes back when a restart is likely over
        ctx.response().putHeader("Retry-After", "1");
      }
      ctx.response().setStatusCode(ready ? 200 : 503).putHeader("Content-Type", "application/json")
          .end(new JsonObject()
              .put("status", ready ? "UP" : "DOWN")
              .put("degraded", !redis)
              .put("draining", draining)
              .put("checks", list)
              .toBuffer());
    });
  }
}
