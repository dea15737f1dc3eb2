package dev.sextant.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.ingest.IngestService.ItemResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The 207 answer of an ingest")
class ResultsJsonTest {

  @Test
  @DisplayName("is the JSON of every result, escaping what needs it")
  void writesEveryResult() {
    String error = "span.name: \"quoted\", back\\slash, new\nline, \u00e9\u4e2d, \u0001";
    JsonArray results = new JsonObject(IngestRoutes.resultsJson(List.of(
        new ItemResult(0, "trace", "t-1:a.b_c", 201, null),
        new ItemResult(1, "span", null, 400, error),
        new ItemResult(2, null, "not \"an\" id", 400, "type: must be one of trace, span, score"))))
        .getJsonArray("results");
    assertThat(results).hasSize(3);
    assertThat(results.getJsonObject(0).getMap())
        .containsExactly(java.util.Map.entry("index", 0), java.util.Map.entry("id", "t-1:a.b_c"),
            java.util.Map.entry("status", 201));
    assertThat(results.getJsonObject(1).containsKey("id")).isFalse();
    assertThat(results.getJsonObject(1).getString("error")).isEqualTo(error);
    assertThat(results.getJsonObject(2).getString("id")).isEqualTo("not \"an\" id");
    assertThat(new JsonObject(IngestRoutes.resultsJson(List.of())).getJsonArray("results")).isEmpty();
  }
}
