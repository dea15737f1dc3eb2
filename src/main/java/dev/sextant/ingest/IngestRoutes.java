package dev.sextant.ingest;

import dev.sextant.http.Routes;
import dev.sextant.auth.Authenticator;
import dev.sextant.http.AsyncHandler;
import dev.sextant.http.JsonBodies;
import dev.sextant.http.RequestBody;
import dev.sextant.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import dev.sextant.ingest.IngestService.ItemResult;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** {@code POST /api/v1/ingest}: Sextant's own batch API (API.md 4.1). */
public final class IngestRoutes implements Routes {

  private final IngestService ingest;
  private final Authenticator auth;

  public IngestRoutes(IngestService ingest, Authenticator auth) {
    this.ingest = ingest;
    this.auth = auth;
  }

  @Override
  public void mount(Router router) {
    router.post("/api/v1/ingest").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(this::ingestBatch));
  }

  private Future<?> ingestBatch(RoutingContext ctx) {
    Buffer body = RequestBody.of(ctx);
    JsonArray batch = body == null ? null : BatchReader.read(JsonBodies.utf8(body));
    if (batch == null) { // not the usual shape: read it whole, to say what is wrong
      batch = IngestService.batchOf(JsonBodies.object(ctx));
    }
    return ingest.ingest(Authenticator.project(ctx).projectId(), batch)
        .compose(results -> Responses.json(ctx, 207, resultsJson(results)));
  }

  /**
   * {@code {"results":[…]}}, written out directly: building a hundred small objects to encode
   * them cost more than the rest of the answer.
   */
  static Buffer resultsJson(List<ItemResult> results) {
    StringBuilder json = new StringBuilder(16 + 48 * results.size()).append("{\"results\":[");
    for (int i = 0; i < results.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      results.get(i).appendJson(json);
    }
    return Buffer.buffer(json.append("]}").toString());
  }
}
