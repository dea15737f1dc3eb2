package dev.sextant.traces;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The trace wire shapes")
class TraceJsonTest {

  private static final OffsetDateTime AT = OffsetDateTime.parse("2026-11-27T08:00:00.123Z");

  private static TraceSummary summary(Double latencyMs) {
    return new TraceSummary("t1", null, null, null, null, List.of(), null, null, false, 0, 0, 0, 0.0,
        latencyMs, AT, AT, AT);
  }

  @Test
  @DisplayName("write every summary field, absent ones as null, counts as integers and cost as a double")
  void summary() {
    String json = TraceJson.summary(summary(null)).encode();

    assertThat(json).isEqualTo("{\"id\":\"t1\",\"name\":null,\"user_id\":null,\"session_id\":null,"
        + "\"release\":null,\"tags\":[],\"start_time\":null,\"end_time\":null,\"status\":\"ok\","
        + "\"span_count\":0,\"input_tokens\":0,\"output_tokens\":0,\"total_cost\":0.0,"
        + "\"latency_ms\":null,\"created_at\":\"2026-11-27T08:00:00.123Z\","
        + "\"updated_at\":\"2026-11-27T08:00:00.123Z\"}");
  }

  @Test
  @DisplayName("pass JSON fields on as stored, after the summary and before spans and scores")
  void detail() {
    TraceDetail detail = new TraceDetail(summary(1.5), new JsonObject().put("a", 1), "text", null,
        List.of(new TraceDetail.Span("s1", "t1", null, null, "other", null, null, null, "ok", null,
            null, null, null, null, new JsonArray().add(1), null, null)),
        List.of(new TraceDetail.Score("c1", "t1", null, "q", null, "good", "api", null, AT)));

    JsonObject json = TraceJson.detail(detail);

    assertThat(json.fieldNames()).endsWith("metadata", "input", "output", "spans", "scores");
    assertThat(json.getDouble("latency_ms")).isEqualTo(1.5);
    assertThat(json.encode()).contains("\"metadata\":{\"a\":1},\"input\":\"text\",\"output\":null");
    assertThat(json.getJsonArray("spans").getJsonObject(0).encode())
        .contains("\"latency_ms\":null").contains("\"input_tokens\":null").contains("\"input\":[1]");
    assertThat(json.getJsonArray("scores").getJsonObject(0).getValue("value")).isEqualTo("good");
  }

  @Test
  @DisplayName("write a stats group with its error rate, and no trace as zeros and null percentiles")
  void stats() {
    String none = TraceJson.stats(List.of(TraceStats.NONE)).encode();
    String one = TraceJson.stats(List.of(new TraceStats("m", 4, 1, 1.0, 2.0, 3.0, 5, 6, 0.5))).encode();

    assertThat(none).isEqualTo("{\"data\":[{\"key\":null,\"trace_count\":0,\"error_count\":0,"
        + "\"error_rate\":0.0,\"latency_ms\":{\"p50\":null,\"p95\":null,\"p99\":null},"
        + "\"input_tokens\":0,\"output_tokens\":0,\"total_cost\":0.0}]}");
    assertThat(one).isEqualTo("{\"data\":[{\"key\":\"m\",\"trace_count\":4,\"error_count\":1,"
        + "\"error_rate\":0.25,\"latency_ms\":{\"p50\":1.0,\"p95\":2.0,\"p99\":3.0},"
        + "\"input_tokens\":5,\"output_tokens\":6,\"total_cost\":0.5}]}");
  }
}
