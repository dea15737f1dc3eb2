package dev.sextant.ops;

import dev.sextant.http.RequestContextHandler;
import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;

/** Records every finished request in {@link RouteStats} under its route template. */
public final class RouteStatsHandler implements Handler<RoutingContext> {

  private final RouteStats stats;

  public RouteStatsHandler(RouteStats stats) {
    this.stats = stats;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long started = System.nanoTime();
    ctx.addEndHandler(done -> {
      Route route = ctx.currentRoute();
      String template = route == null || route.getPath() == null ? "(unmatched)" : route.getPath();
      stats.record(ctx.request().method().name() + " " + template, ctx.response().getStatusCode(),
          System.nanoTime() - started, RequestContextHandler.requestId(ctx), ctx.request().path());
    });
    ctx.next();
  }
}
