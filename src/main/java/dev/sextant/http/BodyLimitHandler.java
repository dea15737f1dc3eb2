package dev.sextant.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Set;

/**
 * Reads request bodies up to the contract's limits: 5 MiB for the ingestion endpoints, 1 MiB
 * elsewhere (both configurable). Bodies arrive already decompressed, so a gzip bomb is cut off at
 * the limit with a 413. Mounted on a path-less route so it never shows up in route-template metrics.
 */
public final class BodyLimitHandler implements Handler<RoutingContext> {

  /** Paths that take the larger ingestion limit. */
  public static final Set<String> INGEST_PATHS = Set.of("/api/v1/ingest", "/v1/traces");

  private final BodyHandler regular;
  private final BodyHandler ingest;

  public BodyLimitHandler(long regularLimit, long ingestLimit) {
    this.regular = BodyHandler.create(false).setBodyLimit(regularLimit);
    this.ingest = BodyHandler.create(false).setBodyLimit(ingestLimit);
  }

  @Override
  public void handle(RoutingContext ctx) {
    (INGEST_PATHS.contains(ctx.normalizedPath()) ? ingest : regular).handle(ctx);
  }
}
