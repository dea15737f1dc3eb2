package dev.sextant.http;

import io.vertx.core.http.HttpServerRequest;

/** The credential of an {@code Authorization: Bearer …} header (the scheme read case-insensitively). */
public final class BearerToken {

  private static final String SCHEME = "Bearer ";

  private BearerToken() {}

  /** The token, trimmed; null when the header is missing, of another scheme, or empty. */
  public static String of(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    if (header == null || header.length() < SCHEME.length()
        || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return null;
    }
    String token = header.substring(SCHEME.length()).trim();
    return token.isEmpty() ? null : token;
  }
}
