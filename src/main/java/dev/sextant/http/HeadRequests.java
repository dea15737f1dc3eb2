package dev.sextant.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * HEAD is answered as GET without the body (RFC 9110): the router routes a HEAD as a GET and the
 * connection drops what its handler writes. What is left to do is telling the client the length
 * the GET's body has, which the server leaves out of an answer to a HEAD.
 */
public final class HeadRequests {

  private static final String HEAD = "sextant.head";

  private HeadRequests() {}

  /** Routes the HEAD request of {@code ctx} as a GET, remembering it was a HEAD. */
  public static void routeAsGet(RoutingContext ctx) {
    ctx.put(HEAD, Boolean.TRUE);
    ctx.reroute(HttpMethod.GET, ctx.request().uri());
  }

  /** Whether the request came in as a HEAD. */
  static boolean isHead(RoutingContext ctx) {
    return ctx.get(HEAD) != null;
  }
}
