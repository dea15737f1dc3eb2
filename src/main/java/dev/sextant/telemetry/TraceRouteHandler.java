package dev.sextant.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;

/**
 * Mounted only while Sextant traces itself: returns the request's W3C {@code traceparent} (the
 * server span's, so a caller can find the trace, sampled or not), and names the server span
 * {@code METHOD /route/:template} once the route that answered is known, as the OpenTelemetry
 * HTTP conventions ask (Vert.x names it by the method alone when the request arrives).
 */
public final class TraceRouteHandler implements Handler<RoutingContext> {

  private static final String VERSION = "00";

  @Override
  public void handle(RoutingContext ctx) {
    Span span = Span.current();
    SpanContext context = span.getSpanContext();
    if (context.isValid()) {
      ctx.response().putHeader("traceparent", traceparent(context));
      if (span.isRecording()) {
        ctx.addHeadersEndHandler(v -> name(span, ctx));
      }
    }
    ctx.next();
  }

  private static void name(Span span, RoutingContext ctx) {
    Route route = ctx.currentRoute();
    if (route != null && route.getPath() != null) {
      span.updateName(ctx.request().method().name() + " " + route.getPath());
      span.setAttribute("http.route", route.getPath());
    }
  }

  static String traceparent(SpanContext context) {
    return VERSION + "-" + context.getTraceId() + "-" + context.getSpanId() + "-"
        + context.getTraceFlags().asHex();
  }
}
