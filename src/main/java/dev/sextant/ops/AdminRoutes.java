package dev.sextant.ops;

import dev.sextant.cache.CacheMetrics;
import dev.sextant.cache.ResilientRedis;
import dev.sextant.cache.ResponseCache;
import dev.sextant.http.AdminToken;
import dev.sextant.http.AsyncHandler;
import dev.sextant.http.Problem;
import dev.sextant.http.Responses;
import dev.sextant.http.Routes;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Admin endpoints, behind the configured admin token. With no token configured they do not exist
 * (404), so an unconfigured deployment exposes nothing.
 */
public final class AdminRoutes implements Routes {

  private final String adminToken;
  private final MeterRegistry registry;
  private final RouteStats routeStats;
  private final CacheMetrics cacheMetrics;
  private final ResponseCache cache;
  private final Runnable forgetCredentials;
  private final ResilientRedis redis;

  /**
   * With a null {@code adminToken} nothing is mounted. {@code forgetCredentials} empties the
   * in-process credential caches on a flush.
   */
  public AdminRoutes(String adminToken, MeterRegistry registry, RouteStats routeStats,
      CacheMetrics cacheMetrics, ResponseCache cache, Runnable forgetCredentials,
      ResilientRedis redis) {
    this.adminToken = adminToken;
    this.registry = registry;
    this.routeStats = routeStats;
    this.cacheMetrics = cacheMetrics;
    this.cache = cache;
    this.forgetCredentials = forgetCredentials;
    this.redis = redis;
  }

  @Override
  public void mount(Router router) {
    if (adminToken == null) {
      return;
    }
    Handler<RoutingContext> admin = AdminToken.require(adminToken);
    router.get("/api/v1/admin/performance").handler(admin).handler(AsyncHandler.of(this::getPerformance));
    router.post("/api/v1/admin/cache/flush").handler(admin).handler(AsyncHandler.of(this::flushCache));
  }

  private Future<?> getPerformance(RoutingContext ctx) {
    JsonObject pool = new JsonObject();
    for (Meter meter : registry.getMeters()) {
      String name = meter.getId().getName();
      if (name.startsWith("vertx.pool") && "sql".equals(meter.getId().getTag("pool_type"))) {
        meter.measure().forEach(m -> pool.put(name.substring("vertx.pool.".length()) + "."
            + m.getStatistic().getTagValueRepresentation(), m.getValue()));
      }
    }
    JsonObject cacheJson = new JsonObject();
    cacheMetrics.hitRatios().forEach(cacheJson::put);
    JsonObject body = new JsonObject()
        .put("routes", routeStats.routesJson())
        .put("slow_requests", routeStats.slowJson())
        .put("cache", new JsonObject().put("hit_ratios", cacheJson).put("bypassing", cache.isBypassing()))
        .put("pool", pool)
        .put("rate_limit", new JsonObject().put("rejected", registry.counter("sextant.ratelimit.rejected").count()))
        .put("circuit_breakers", new JsonObject().put("redis", redis.state().name()));
    return Responses.json(ctx, 200, body);
  }

  private Future<?> flushCache(RoutingContext ctx) {
    forgetCredentials.run();
    return cache.flush()
        .recover(e -> Future.failedFuture(Problem.of(503, "Redis is unreachable; the cache could not be flushed")))
        .compose(v -> Responses.noContent(ctx));
  }
}
