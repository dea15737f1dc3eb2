package dev.sextant.server;

import dev.sextant.config.SextantConfig.HttpConfig;
import dev.sextant.http.AccessLogHandler;
import dev.sextant.http.BodyLimitHandler;
import dev.sextant.http.ContentTypeHandler;
import dev.sextant.http.HeadRequests;
import dev.sextant.http.ProblemHandler;
import dev.sextant.http.RequestContextHandler;
import dev.sextant.http.RequestDecodingHandler;
import dev.sextant.http.Routes;
import dev.sextant.ops.RouteStatsHandler;
import dev.sextant.ratelimit.RateLimitHandler;
import dev.sextant.telemetry.TraceRouteHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;

/**
 * Builds the router of one HTTP verticle: cross-cutting handlers, each resource's routes in the
 * order {@link Resources} lists them, then problem+json for every error status.
 */
final class ApiRouter {

  private ApiRouter() {}

  static Router create(Vertx vertx, Services services, Resources resources) {
    HttpConfig http = services.config().http();
    Router router = Router.router(vertx);
    // HEAD is GET without the body (RFC 9110): routes are declared for GET alone, and a request
    // that came in as HEAD gets no body from the connection whatever its handler writes. Rerouted
    // before any other handler has run, so none of them runs twice.
    router.route().method(HttpMethod.HEAD)
        .handler(HeadRequests::routeAsGet);
    router.route().handler(new RequestContextHandler());
    if (services.config().telemetry().enabled()) {
      router.route().handler(new TraceRouteHandler());
    }
    if (http.accessLog()) {
      router.route().handler(new AccessLogHandler());
    }
    router.route().handler(new RouteStatsHandler(services.routeStats()));

    resources.operations().forEach(routes -> routes.mount(router));

    // cross-cutting handlers sit on path-less routes: a path here would show in every route label
    router.route().handler(ContentTypeHandler.json("/api/"));
    BodyLimitHandler bodies = new BodyLimitHandler(http.bodyLimitBytes(), http.ingestBodyLimitBytes());
    router.route().handler(bodies);
    if (services.config().rateLimit().enabled()) {
      router.route().handler(new RateLimitHandler(services.config().rateLimit(), services.registry()));
    }
    // after the limiter: a throttled client gets no decompression work out of the server
    router.route().handler(new RequestDecodingHandler(bodies::limitFor));

    resources.api().forEach(routes -> routes.mount(router));

    ProblemHandler.registerOn(router);
    return router;
  }
}
