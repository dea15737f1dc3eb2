package dev.sextant.http;

import dev.sextant.Services;
import dev.sextant.auth.ApiKeyService;
import dev.sextant.auth.AuthRoutes;
import dev.sextant.auth.Authenticator;
import dev.sextant.config.SextantConfig.HttpConfig;
import dev.sextant.ingest.IngestRoutes;
import dev.sextant.ingest.IngestService;
import dev.sextant.ops.AdminRoutes;
import dev.sextant.ops.CeilingRoute;
import dev.sextant.ops.HealthRoutes;
import dev.sextant.ops.RouteStatsHandler;
import dev.sextant.ratelimit.RateLimitHandler;
import dev.sextant.otlp.OtlpRoutes;
import dev.sextant.projects.ProjectRoutes;
import dev.sextant.traces.TraceRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * Builds the whole HTTP surface: cross-cutting handlers first, then each resource's routes, then
 * problem+json for every error status. Used by {@link ApiVerticle} and by tests alike.
 */
public final class ApiRouter {

  private ApiRouter() {}

  public static Router create(Vertx vertx, Services services, String limiterAddress) {
    HttpConfig http = services.config().http();
    Router router = Router.router(vertx);
    // HEAD is GET without the body (RFC 9110): routes are declared for GET alone, and a request
    // that came in as HEAD gets no body from the connection whatever its handler writes. Rerouted
    // before any other handler has run, so none of them runs twice.
    router.route().method(HttpMethod.HEAD)
        .handler(ctx -> ctx.reroute(HttpMethod.GET, ctx.request().uri()));
    router.route().handler(new RequestContextHandler());
    if (http.accessLog()) {
      router.route().handler(new AccessLogHandler());
    }
    router.route().handler(new RouteStatsHandler(services.routeStats()));

    HealthRoutes.mount(router, vertx, services.pool(), services.redis(),
        services.config().redis().healthTimeoutMs(), services.lifecycle());
    router.get("/metrics").handler(PrometheusScrapingHandler.create(services.registry()));

    // cross-cutting handlers sit on path-less routes: a path here would show in every route label
    router.route().handler(ContentTypeHandler.json("/api/"));
    BodyLimitHandler bodies = new BodyLimitHandler(http.bodyLimitBytes(), http.ingestBodyLimitBytes());
    router.route().handler(bodies);
    if (services.config().rateLimit().enabled()) {
      router.route().handler(new RateLimitHandler(services.config().rateLimit(), services.registry(),
          limiterAddress));
    }
    // after the limiter: a throttled client gets no decompression work out of the server
    router.route().handler(new RequestDecodingHandler(bodies::limitFor));

    ApiKeyService apiKeys = new ApiKeyService(services.pool(), services.credentials());
    Authenticator auth = AuthRoutes.mount(router, vertx, services.pool(), services.config().auth(),
        apiKeys, services.credentials());
    ProjectRoutes.mount(router, services.pool(), auth, apiKeys);
    IngestService ingest = new IngestService(services.pool(), services.registry(), services.cache());
    IngestRoutes.mount(router, ingest, auth);
    OtlpRoutes.mount(router, vertx, ingest, auth);
    TraceRoutes.mount(router, services.pool(), auth, services.cache(), services.config().cache());
    AdminRoutes.mount(router, services.config().adminToken(), services.registry(),
        services.routeStats(), services.cacheMetrics(), services.cache(), services.credentials(),
        services.resilientRedis());

    if (services.config().benchCeilingRoute()) {
      CeilingRoute.mount(router, services.resilientRedis());
    }

    AllowedMethods allowed = new AllowedMethods(router);
    for (int status = 400; status < 600; status++) {
      router.errorHandler(status, ProblemHandler.forStatus(status, allowed));
    }
    return router;
  }
}
