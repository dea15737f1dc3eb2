package dev.sextant.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * The request body as the handlers read it: decoded when it came with a {@code Content-Encoding}
 * ({@link RequestDecodingHandler} keeps the decoded bytes here, as vertx-web offers no public way
 * to replace the body it read), otherwise as read. Handlers read bodies through this, never
 * {@code ctx.body()}.
 */
public final class RequestBody {

  private static final String DECODED = "sextant.decoded_body";

  private RequestBody() {}

  /** The body; null when the request had none. */
  public static Buffer of(RoutingContext ctx) {
    Buffer decoded = ctx.get(DECODED);
    return decoded != null ? decoded : ctx.body().buffer();
  }

  static void replaceWithDecoded(RoutingContext ctx, Buffer decoded) {
    ctx.put(DECODED, decoded);
  }
}
