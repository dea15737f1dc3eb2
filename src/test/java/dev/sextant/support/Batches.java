package dev.sextant.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Builds ingest batches. */
public final class Batches {

  private Batches() {}

  public static JsonObject batch(JsonObject... items) {
    JsonArray batch = new JsonArray();
    for (JsonObject item : items) {
      batch.add(item);
    }
    return new JsonObject().put("batch", batch);
  }

  public static JsonObject trace(JsonObject body) {
    return new JsonObject().put("type", "trace").put("body", body);
  }

  public static JsonObject span(JsonObject body) {
    return new JsonObject().put("type", "span").put("body", body);
  }

  public static JsonObject score(JsonObject body) {
    return new JsonObject().put("type", "score").put("body", body);
  }
}
