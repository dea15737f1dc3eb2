package dev.sextant.traces;

import dev.sextant.http.Routes;
import dev.sextant.auth.Authenticator;
import dev.sextant.cache.ResponseCache;
import dev.sextant.cache.ResponseCache.Staleness;
import dev.sextant.common.Ids;
import dev.sextant.config.SextantConfig.CacheConfig;
import dev.sextant.http.AsyncHandler;
import dev.sextant.http.ClientGone;
import dev.sextant.http.Problem;
import dev.sextant.http.QueryParams;
import dev.sextant.http.Responses;
import dev.sextant.validation.Validator;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/** Reading and deleting traces (API.md section 5); every read is scoped to the key's project. */
public final class TraceRoutes implements Routes {

  private static final String NO_TRACE = "No such trace";

  private static final String DETAIL_CACHE = "trace_detail";
  private static final String STATS_CACHE = "trace_stats";

  private final TraceRepository traces;
  private final Consumer<UUID> afterDelete;
  private final Authenticator auth;
  private final ResponseCache cache;
  private final CacheConfig cacheConfig;
  /** Stats may be up to 60 s stale (API.md section 5): a slow one is not recomputed in line. */
  private final Staleness statsStaleness;

  public TraceRoutes(Pool pool, Authenticator auth, ResponseCache cache, CacheConfig cacheConfig) {
    this(pool, auth, cache, cacheConfig, project -> { });
  }

  /** {@code afterDelete} is told the project of every committed delete (the dashboard roll-ups). */
  public TraceRoutes(Pool pool, Authenticator auth, ResponseCache cache, CacheConfig cacheConfig,
      Consumer<UUID> afterDelete) {
    this.afterDelete = afterDelete;
    this.traces = new TraceRepository(pool);
    this.auth = auth;
    this.cache = cache;
    this.cacheConfig = cacheConfig;
    this.statsStaleness = new Staleness(cacheConfig.traceStatsMaxStaleSeconds() * 1000L,
        cacheConfig.traceStatsStaleIfSlowerThanMs());
  }

  @Override
  public void mount(Router router) {
    router.get("/api/v1/traces").handler(auth.requireApiKey()).handler(AsyncHandler.of(this::listTraces));
    // before /:id, which would otherwise take "stats" for a trace id
    router.get("/api/v1/traces/stats").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(this::getStats));
    router.get("/api/v1/traces/:id").handler(auth.requireApiKey()).handler(AsyncHandler.of(this::getTrace));
    router.delete("/api/v1/traces/:id").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(this::deleteTrace));
  }

  private Future<?> listTraces(RoutingContext ctx) {
    TraceFilter filter = new TraceFilter(
        QueryParams.timestamp(ctx, "from"),
        QueryParams.timestamp(ctx, "to"),
        QueryParams.string(ctx, "name", Validator.MAX_NAME),
        QueryParams.string(ctx, "user_id", Validator.MAX_NAME),
        QueryParams.string(ctx, "session_id", Validator.MAX_NAME),
        QueryParams.string(ctx, "release", Validator.MAX_NAME),
        QueryParams.all(ctx, "tag", 50, 200),
        QueryParams.oneOf(ctx, "status", Set.of("ok", "error"), null),
        QueryParams.cursor(ctx),
        QueryParams.limit(ctx));
    return traces.list(projectId(ctx), filter, ClientGone.of(ctx))
        .compose(page -> Responses.page(ctx, page, TraceJson::summary));
  }

  private Future<?> getTrace(RoutingContext ctx) {
    String id = traceId(ctx);
    UUID project = projectId(ctx);
    return cache.getOrLoad(DETAIL_CACHE, project, id, cacheConfig.traceDetailTtlSeconds(),
            () -> traces.find(project, id).map(trace -> trace == null ? null : TraceJson.detail(trace).encode()))
        .compose(body -> body == null
            ? Future.failedFuture(Problem.notFound(NO_TRACE))
            : Responses.json(ctx, 200, body));
  }

  private Future<?> deleteTrace(RoutingContext ctx) {
    UUID project = projectId(ctx);
    return traces.delete(project, traceId(ctx))
        .andThen(deleted -> {
          if (deleted.succeeded() && deleted.result()) {
            afterDelete.accept(project);
          }
        })
        .compose(deleted -> cache.invalidate(project).map(deleted))
        .compose(deleted -> deleted
            ? Responses.noContent(ctx)
            : Future.failedFuture(Problem.notFound(NO_TRACE)));
  }

  private Future<?> getStats(RoutingContext ctx) {
    GroupBy groupBy = QueryParams.oneOf(ctx, "group_by", GroupBy.BY_PARAM, GroupBy.NONE);
    OffsetDateTime from = QueryParams.timestamp(ctx, "from");
    OffsetDateTime to = QueryParams.timestamp(ctx, "to");
    UUID project = projectId(ctx);
    // retired by every write of the project's traces, and by every roll-up pass over the project
    // (dashboard.RollupJob): an answer read from roll-ups that a pass changed is not served again
    String key = groupBy.param() + "|" + from + "|" + to;
    return cache.getOrLoad(STATS_CACHE, project, key, cacheConfig.traceStatsTtlSeconds(),
            statsStaleness,
            () -> traces.stats(project, groupBy, from, to).map(groups -> TraceJson.stats(groups).encode()))
        .compose(body -> Responses.json(ctx, 200, body));
  }

  /** A trace id from the path; one that cannot exist is simply not found. */
  private static String traceId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!Ids.isValidClientId(id)) {
      throw Problem.notFound(NO_TRACE);
    }
    return id;
  }

  private static UUID projectId(RoutingContext ctx) {
    return Authenticator.project(ctx).projectId();
  }
}
