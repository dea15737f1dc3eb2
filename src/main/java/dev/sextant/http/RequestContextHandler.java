package dev.sextant.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * First handler of every request: gives it an {@code X-Request-ID} (the caller's, when well formed)
 * and stamps {@code X-Process-Time} in milliseconds just before the headers leave. It also declares
 * {@code Vary: Accept-Encoding} on every answer, since the server compresses any answer that turns
 * out large enough.
 */
public final class RequestContextHandler implements Handler<RoutingContext> {

  private static final String REQUEST_ID = "sextant.request_id";
  private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  @Override
  public void handle(RoutingContext ctx) {
    stamp(ctx);
    ctx.next();
  }

  /**
   * Gives the request its id and its answer the headers every answer carries. Also called for a
   * request the router answers before any handler ran (one without a {@code Host}, say).
   */
  static void stamp(RoutingContext ctx) {
    long started = System.nanoTime();
    // a request routed again (a read retried after its database connection was lost) keeps its id
    String id = ctx.get(REQUEST_ID) != null ? ctx.get(REQUEST_ID)
        : requestIdFor(ctx.request().getHeader("X-Request-ID"));
    ctx.put(REQUEST_ID, id);
    HttpServerResponse response = ctx.response();
    response.putHeader("X-Request-ID", id);
    // The server's compression (Netty's) adds no Vary, and decides only once the body is written;
    // a cache must not hand a gzipped answer to a client that did not ask for one. Declared on
    // small answers too: whether an answer of a resource is compressed depends on its size.
    response.putHeader("Vary", "Accept-Encoding");
    response.headersEndHandler(v -> response.putHeader("X-Process-Time",
        millis(System.nanoTime() - started)));
  }

  /** The caller's {@code X-Request-ID} when it is well formed, else a new one. */
  static String requestIdFor(String incoming) {
    return incoming != null && VALID_ID.matcher(incoming).matches()
        ? incoming
        : UUID.randomUUID().toString();
  }

  /** Nanoseconds as milliseconds with two decimals, rounded half up ({@code 1234567 → "1.23"}). */
  static String millis(long nanos) {
    long hundredths = (nanos + 5_000) / 10_000;
    long fraction = hundredths % 100;
    return (hundredths / 100) + (fraction < 10 ? ".0" : ".") + fraction;
  }

  public static String requestId(RoutingContext ctx) {
    return ctx.get(REQUEST_ID);
  }
}
