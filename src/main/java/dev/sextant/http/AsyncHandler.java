package dev.sextant.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * Adapts a handler that returns a {@link Future} to a route handler: a failed future, or an
 * exception thrown before it exists, goes to {@link ProblemHandler} through {@code ctx.fail}.
 */
public final class AsyncHandler {

  private AsyncHandler() {}

  public static Handler<RoutingContext> of(Function<RoutingContext, Future<?>> handler) {
    return ctx -> {
      Future<?> result;
      try {
        result = handler.apply(ctx);
      } catch (RuntimeException e) {
        ctx.fail(e);
        return;
      }
      result.onFailure(ctx::fail);
    };
  }
}
