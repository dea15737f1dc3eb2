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
 * cached in Redis under the project, the window, its last bucket and the project's roll-up
 * version: everyone polling one dashboard shares one roll-up read per new version or bucket.
 */
public final class DashboardRoutes implements Routes {

  private static final String CACHE = "dashboard";
  /**
   * The answers' generation family, which nothing invalidates: ingest does not retire them, the
   * roll-up version in their key does (and a cache flush, as for every answer).
   */
  private static final String CACHE_FAMILY = "dashboard";

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
    return dashboards.version(project).compose(version -> {
      String key = window.param() + "|" + window.lastBucket(now).getEpochSecond() + "|" + version;
      return cache.getOrLoad(CACHE, CACHE_FAMILY, project, key, cacheTtlSeconds,
          () -> dashboards.read(project, window, now).map(d -> DashboardJson.dashboard(d).encode()));
    }).compose(body -> Responses.json(ctx, 200, body));
  }
}
