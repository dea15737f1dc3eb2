package dev.sextant.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes one JSON line per finished request to the {@code sextant.access} logger. */
public final class AccessLogHandler implements Handler<RoutingContext> {

  private static final Logger access = LoggerFactory.getLogger("sextant.access");

  @Override
  public void handle(RoutingContext ctx) {
    long started = System.nanoTime();
    ctx.addEndHandler(done -> {
      if (!access.isInfoEnabled()) {
        return;
      }
      access.info(new JsonObject()
          .put("ts", Instant.now().toString())
          .put("request_id", RequestContextHandler.requestId(ctx))
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
