package dev.sextant.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Set;

/**
 * Reads request bodies up to the contract's limits: 5 MiB for the ingestion endpoints, 1 MiB
 * elsewhere (both configurable). The limits are on the decoded size: {@link RequestDecodingHandler}
 * holds a compressed body to them as it decompresses it, so a gzip bomb is cut off at the limit
 * with a 413. A compressed body may itself be a little over its limit, as deflate adds a few bytes
 * to data it cannot shrink. Mounted on a path-less route so it never shows up in route-template
 * metrics.
 */
public final class BodyLimitHandler implements Handler<RoutingContext> {

  /** Paths that take the larger ingestion limit. */
  public static final Set<String> INGEST_PATHS = Set.of("/api/v1/ingest", "/v1/traces");

  private final long regularLimit;
  private final long ingestLimit;
  private final BodyHandler regular;
  private final BodyHandler ingest;
  private final BodyHandler regularEncoded;
  private final BodyHandler ingestEncoded;

  public BodyLimitHandler(long regularLimit, long ingestLimit) {
    this.regularLimit = regularLimit;
    this.ingestLimit = ingestLimit;
    this.regular = BodyHandler.create(false).setBodyLimit(regularLimit);
    this.ingest = BodyHandler.create(false).setBodyLimit(ingestLimit);
    this.regularEncoded = BodyHandler.create(false).setBodyLimit(encodedLimit(regularLimit));
    this.ingestEncoded = BodyHandler.create(false).setBodyLimit(encodedLimit(ingestLimit));
  }

  @Override
  public void handle(RoutingContext ctx) {
    boolean ingestPath = isIngest(ctx);
    if (RequestDecodingHandler.isEncoded(ctx.request())) {
      (ingestPath ? ingestEncoded : regularEncoded).handle(ctx);
    } else {
      (ingestPath ? ingest : regular).handle(ctx);
    }
  }

  /** The largest body the request's route takes, decoded. */
  public long limitFor(RoutingContext ctx) {
    return isIngest(ctx) ? ingestLimit : regularLimit;
  }

  private static boolean isIngest(RoutingContext ctx) {
    return INGEST_PATHS.contains(ctx.normalizedPath());
  }

  /**
   * The most a body of {@code limit} bytes can take compressed: zlib's own bound for data that
   * does not compress (deflateBound) plus room for the gzip header and trailer.
   */
  static long encodedLimit(long limit) {
    return limit + (limit >> 12) + (limit >> 14) + (limit >> 25) + 64;
  }
}
