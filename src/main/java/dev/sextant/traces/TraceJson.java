package dev.sextant.traces;

import dev.sextant.common.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** Maps trace, span, score and stats rows to the wire shape, in one place per record. */
final class TraceJson {

  private TraceJson() {}

  static JsonObject summary(Row row) {
    String[] tags = row.getArrayOfStrings("tags");
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("name", row.getString("name"))
        .put("user_id", row.getString("user_id"))
        .put("session_id", row.getString("session_id"))
        .put("release", row.getString("release"))
        .put("tags", tags == null ? new JsonArray() : new JsonArray(java.util.List.of(tags)))
        .put("start_time", Times.format(row.getOffsetDateTime("start_time")))
        .put("end_time", Times.format(row.getOffsetDateTime("end_time")))
        .put("status", row.getBoolean("is_error") ? "error" : "ok")
        .put("span_count", row.getInteger("span_count"))
        .put("input_tokens", row.getLong("input_tokens"))
        .put("output_tokens", row.getLong("output_tokens"))
        .put("total_cost", row.getDouble("total_cost"))
        .put("latency_ms", milliseconds(row, "latency_ms"))
        .put("created_at", Times.format(row.getOffsetDateTime("created_at")))
        .put("updated_at", Times.format(row.getOffsetDateTime("updated_at")));
  }

  static JsonObject detail(Row row) {
    return summary(row)
        .put("metadata", json(row, "metadata"))
        .put("input", json(row, "input"))
        .put("output", json(row, "output"));
  }

  static JsonObject span(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("trace_id", row.getString("trace_id"))
        .put("parent_id", row.getString("parent_id"))
        .put("name", row.getString("name"))
        .put("kind", row.getString("kind"))
        .put("start_time", Times.format(row.getOffsetDateTime("start_time")))
        .put("end_time", Times.format(row.getOffsetDateTime("end_time")))
        .put("latency_ms", milliseconds(row, "latency_ms"))
        .put("status", row.getString("status"))
        .put("status_message", row.getString("status_message"))
        .put("model", row.getString("model"))
        .put("input_tokens", row.getLong("input_tokens"))
        .put("output_tokens", row.getLong("output_tokens"))
        .put("cost_usd", row.getDouble("cost_usd"))
        .put("input", json(row, "input"))
        .put("output", json(row, "output"))
        .put("attributes", json(row, "attributes"));
  }

  static JsonObject score(Row row) {
    Double number = row.getDouble("value_num");
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("trace_id", row.getString("trace_id"))
        .put("span_id", row.getString("span_id"))
        .put("name", row.getString("name"))
        .put("value", number != null ? number : row.getString("value_label"))
        .put("source", row.getString("source"))
        .put("comment", row.getString("comment"))
        .put("created_at", Times.format(row.getOffsetDateTime("created_at")));
  }

  /** The one group of {@code group_by=none} over no trace at all. */
  static JsonObject noStats() {
    return new JsonObject().put("key", null).put("trace_count", 0L).put("error_count", 0L)
        .put("error_rate", 0.0)
        .put("latency_ms", new JsonObject().put("p50", null).put("p95", null).put("p99", null))
        .put("input_tokens", 0L).put("output_tokens", 0L).put("total_cost", 0.0);
  }

  static JsonObject stats(Row row) {
    long count = row.getLong("trace_count");
    long errors = row.getLong("error_count");
    Double[] pct = row.getArrayOfDoubles("pct");
    return new JsonObject()
        .put("key", row.getString("key"))
        .put("trace_count", count)
        .put("error_count", errors)
        .put("error_rate", count == 0 ? 0.0 : (double) errors / count)
        .put("latency_ms", new JsonObject()
            .put("p50", pct == null ? null : pct[0])
            .put("p95", pct == null ? null : pct[1])
            .put("p99", pct == null ? null : pct[2]))
        .put("input_tokens", row.getLong("input_tokens"))
        .put("output_tokens", row.getLong("output_tokens"))
        .put("total_cost", row.getDouble("total_cost"));
  }

  /**
   * A duration, or null when there is none: a negative one means an end before the start, which
   * each write refuses but two writes can still combine into.
   */
  private static Double milliseconds(Row row, String column) {
    Object value = row.getValue(column);
    return value == null || ((Number) value).doubleValue() < 0 ? null : ((Number) value).doubleValue();
  }

  /** A jsonb column as JSON: JSON null and SQL null both become null. */
  private static Object json(Row row, String column) {
    Object value = row.getValue(column);
    return value == Tuple.JSON_NULL ? null : value;
  }
}
