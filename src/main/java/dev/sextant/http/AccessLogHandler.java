package dev.sextant.http;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one JSON line per finished request to the {@code sextant.access} logger; while Sextant
 * traces itself ({@code telemetry.otlp_endpoint}) the line carries the request's trace id beside
 * its request id, so a slow line leads to its trace.
 */
public final class AccessLogHandler implements Handler<RoutingContext> {

  private static final Logger access = LoggerFactory.getLogger("sextant.access");

  @Override
  public void handle(RoutingContext ctx) {
    long started = System.nanoTime();
    // read now: the request's server span is current while the handlers run, not once it ended
    SpanContext span = Span.current().getSpanContext();
    String traceId = span.isValid() ? span.getTraceId() : null;
    ctx.addEndHandler(done -> {
      if (!access.isInfoEnabled()) {
        return;
      }
      JsonObject line = new JsonObject()
          .put("ts", Instant.now().toString())
          .put("request_id", RequestContextHandler.requestId(ctx));
      if (traceId != null) {
        line.put("trace_id", traceId);
      }
      access.info(line
          .put("method", ctx.request().method().name())
          .put("path", ctx.request().path())
          .put("status", ctx.response().getStatusCode())
          .put("bytes", ctx.response().bytesWritten())
          .put("duration_ms", (System.nanoTime() - started) / 1_000_000.0)
          .put("remote", ctx.request().remoteAddress() == null
              ? null : ctx.request().remoteAddress().hostAddress())
          .encode());
    });
    ctx.next();
  }
}
