package dev.sextant.http;

import dev.sextant.cache.CachedBody;
import dev.sextant.common.Page;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Writes JSON answers. */
public final class Responses {

  private Responses() {}

  public static Future<Void> json(RoutingContext ctx, int status, JsonObject body) {
    return json(ctx, status, body.toBuffer());
  }

  /** JSON text already encoded. */
  public static Future<Void> json(RoutingContext ctx, int status, Buffer body) {
    return end(ctx, ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json"), body);
  }

  /**
   * Ends with {@code body}; to a HEAD, with the Content-Length the GET has (the server leaves it
   * out of an answer to a HEAD, having no body to count).
   */
  private static Future<Void> end(RoutingContext ctx, HttpServerResponse response, Buffer body) {
    if (HeadRequests.isHead(ctx)) {
      response.putHeader("Content-Length", Integer.toString(body.length()));
    }
    return response.end(body);
  }

  /**
   * A cached JSON answer: sent as stored when it is compressed and the client accepts gzip,
   * decompressed when the client does not. ({@code Vary: Accept-Encoding} is on every answer:
   * {@link RequestContextHandler} puts it there.)
   */
  public static Future<Void> json(RoutingContext ctx, int status, CachedBody body) {
    HttpServerResponse response = ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json");
    if (!body.gzipped()) {
      return end(ctx, response, body.bytes());
    }
    if (acceptsGzip(ctx.request().getHeader("Accept-Encoding"))) {
      // a response with Content-Encoding set is left alone by the server's own compression
      return end(ctx, response.putHeader("Content-Encoding", "gzip"), body.bytes());
    }
    return end(ctx, response, body.plain());
  }

  /** Whether an {@code Accept-Encoding} header admits gzip (by name or {@code *}, q above 0). */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String item : acceptEncoding.split(",")) {
      String[] parts = item.split(";");
      String coding = parts[0].trim();
      if (coding.equalsIgnoreCase("gzip") || coding.equals("*")) {
        return parts.length < 2 || !parts[1].trim().matches("(?i)q\\s*=\\s*0(\\.0{0,3})?");
      }
    }
    return false;
  }

  /**
   * A list answer in the contract's page shape, {@code {"data": [...], "next_cursor": ...}}: each
   * item written by {@code toJson}, the cursor null on the last page.
   */
  public static <T> Future<Void> page(RoutingContext ctx, Page<T> page, Function<? super T, ?> toJson) {
    List<T> items = page.items();
    JsonArray data = new JsonArray(new ArrayList<>(items.size()));
    for (T item : items) {
      data.add(toJson.apply(item));
    }
    return json(ctx, 200, new JsonObject().put("data", data).put("next_cursor", page.nextCursor()));
  }

  public static Future<Void> noContent(RoutingContext ctx) {
    return ctx.response().setStatusCode(204).end();
  }
}
