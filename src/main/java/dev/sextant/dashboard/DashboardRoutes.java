package dev.sextant.dashboard;

import dev.sextant.auth.Authenticator;
import dev.sextant.cache.ResponseCache;
import dev.sextant.http.AsyncHandler;
import dev.sextant.http.QueryParams;
import dev.sextant.http.Responses;
import dev.sextant.http.Routes;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code GET /api/v1/dashboard} (API.md section 8), read from the roll-ups only. Answers are
 * cached in Redis under the project, the window and its last bucket, in a generation family that
 * every roll-up pass over the project bumps ({@link RollupJob}): everyone polling one dashboard
 * shares one roll-up read per pass or new bucket, and a cached read costs one Redis round trip.
 */
public final class DashboardRoutes implements Routes {

  private static final String CACHE = "dashboard";
  /**
   * The answers' generation family: ingest does not retire them, the roll-up pass that folds the
   * project's new marks in does (and a cache flush, as for every answer).
   */
  static final String CACHE_FAMILY = "dashboard";

  private final DashboardRepository dashboards;
  private final Authenticator auth;
  private final ResponseCache cache;
  private final int cacheTtlSeconds;
  private final Clock clock;

  public DashboardRoutes(Pool pool, Authenticator auth, ResponseCache cache, int cacheTtlSeconds) {
    this.dashboards = new DashboardRepository(pool);
    this.auth = auth;
    this.cache = cache;
    this.cacheTtlSeconds = cacheTtlSeconds;
    this.clock = Clock.systemUTC();
  }

  @Override
  public void mount(Router router) {
    router.get("/api/v1/dashboard").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(this::getDashboard));
  }

  private Future<?> getDashboard(RoutingContext ctx) {
    Window window = QueryParams.oneOf(ctx, "window", Window.BY_PARAM, Window.DEFAULT);
    UUID project = Authenticator.project(ctx).projectId();
    Instant now = clock.instant();
    String key = window.param() + "|" + window.lastBucket(now).getEpochSecond();
    return cache.getOrLoad(CACHE, CACHE_FAMILY, project, key, cacheTtlSeconds,
            () -> dashboards.read(project, window, now).map(d -> DashboardJson.dashboard(d).encode()))
        .compose(body -> Responses.json(ctx, 200, body));
  }
}
