package dev.sextant.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

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

  /**
   * Ingests {@code items} with {@code apiKey}, in batches of 900 (under the contract's 1 000), and
   * asserts every item was accepted (201, or 200 for an update).
   */
  public static void ingestAll(ApiClient api, String apiKey, List<JsonObject> items) {
    for (int from = 0; from < items.size(); from += 900) {
      JsonObject body = batch(items.subList(from, Math.min(items.size(), from + 900))
          .toArray(JsonObject[]::new));
      Response r = api.post("/api/v1/ingest", apiKey, body);
      assertThat(r.status()).as(r.body()).isEqualTo(207);
      r.json().getJsonArray("results").forEach(result ->
          assertThat(((JsonObject) result).getInteger("status")).as(r.body()).isIn(200, 201));
    }
  }
}
