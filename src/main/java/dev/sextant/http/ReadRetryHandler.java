package dev.sextant.http;

import dev.sextant.db.DatabaseFaults;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes a read that failed because its database connection was lost once more from the start:
 * the pool hands the second attempt a fresh connection, and a database that came back in between
 * answers it. Only a GET (a HEAD is one by then), only once, and only while nothing of the answer
 * is written; a write is not repeated behind its client's back. Anything else goes on to
 * {@link ProblemHandler}, which answers a database that is still away with 503.
 *
 * <p>A failure handler rather than part of the error handler: the router ends the answer itself
 * as soon as an error handler returns, so only a failure handler can route the request again.
 */
final class ReadRetryHandler implements Handler<RoutingContext> {

  private static final Logger log = LoggerFactory.getLogger(ReadRetryHandler.class);
  private static final String RETRIED = "sextant.read_retried";

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().method() != HttpMethod.GET || ctx.get(RETRIED) != null
        || ctx.response().headWritten() || !DatabaseFaults.isUnavailable(ctx.failure())) {
      ctx.next();
      return;
    }
    ctx.put(RETRIED, Boolean.TRUE);
    log.info("request {} tried again on a fresh connection: {}",
        RequestContextHandler.requestId(ctx), ctx.failure().getMessage());
    ctx.reroute(ctx.request().uri());
  }
}
