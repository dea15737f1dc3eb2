package dev.sextant.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes JSON answers. */
public final class Responses {

  private Responses() {}

  public static Future<Void> json(RoutingContext ctx, int status, JsonObject body) {
    return ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.toBuffer());
  }

  /** A JSON answer already encoded (a cached one, say). */
  public static Future<Void> json(RoutingContext ctx, int status, String body) {
    return ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body);
  }

  /** A list answer in the contract's page shape; {@code nextCursor} is null on the last page. */
  public static Future<Void> page(RoutingContext ctx, JsonArray data, String nextCursor) {
    return json(ctx, 200, new JsonObject().put("data", data).put("next_cursor", nextCursor));
  }

  public static Future<Void> noContent(RoutingContext ctx) {
    return ctx.response().setStatusCode(204).end();
  }
}
