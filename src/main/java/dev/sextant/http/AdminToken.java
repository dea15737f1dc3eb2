package dev.sextant.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The guard of every admin route: the request must carry the configured admin token as its bearer
 * token, compared in constant time, or it fails with a 401.
 */
public final class AdminToken {

  private AdminToken() {}

  /** A handler that passes a request with {@code token} on, and fails any other with 401. */
  public static Handler<RoutingContext> require(String token) {
    byte[] expected = token.getBytes(StandardCharsets.UTF_8);
    return ctx -> {
      String sent = BearerToken.of(ctx.request());
      String given = sent == null ? "" : sent;
      if (MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
        ctx.next();
      } else {
        ctx.fail(Problem.unauthorized("This endpoint needs the admin token"));
      }
    };
  }
}
