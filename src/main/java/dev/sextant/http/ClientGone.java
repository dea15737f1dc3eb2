package dev.sextant.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.ext.web.RoutingContext;

/** Tells when a request's client has gone away, its connection closed before the answer ended. */
public final class ClientGone {

  private ClientGone() {}

  /**
   * A future that completes when the connection of {@code ctx} closes before its answer is
   * complete, and never completes otherwise: for work worth stopping once no one waits for it.
   */
  public static Future<Void> of(RoutingContext ctx) {
    Promise<Void> gone = Promise.promise();
    if (ctx.response().closed()) {
      gone.complete();
    } else {
      ctx.addEndHandler(done -> {
        if (done.failed()) {
          gone.tryComplete();
        }
      });
    }
    return gone.future();
  }
}
