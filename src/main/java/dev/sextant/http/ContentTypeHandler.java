package dev.sextant.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;

/**
 * Refuses, with 415, a request body whose {@code Content-Type} the route does not read. Requests
 * without a body (a bare POST to log out, say) pass whatever they declare.
 */
public final class ContentTypeHandler implements Handler<RoutingContext> {

  private final String pathPrefix;
  private final List<String> accepted;

  private ContentTypeHandler(String pathPrefix, List<String> accepted) {
    this.pathPrefix = pathPrefix;
    this.accepted = accepted;
  }

  /** JSON bodies only, on every path under {@code pathPrefix}. */
  public static ContentTypeHandler json(String pathPrefix) {
    return new ContentTypeHandler(pathPrefix, List.of("application/json"));
  }

  /** Any of {@code mediaTypes}, on every path under {@code pathPrefix}. */
  public static ContentTypeHandler of(String pathPrefix, String... mediaTypes) {
    return new ContentTypeHandler(pathPrefix, List.of(mediaTypes));
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!ctx.normalizedPath().startsWith(pathPrefix) || !hasBody(request) || accepts(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
      ctx.next();
      return;
    }
    ctx.fail(Problem.of(415, "Content-Type must be " + String.join(" or ", accepted)));
  }

  private boolean accepts(String contentType) {
    if (contentType == null) {
      return false;
    }
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return accepted.contains(mediaType);
  }

  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      return !length.trim().equals("0");
    }
    return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
  }
}
