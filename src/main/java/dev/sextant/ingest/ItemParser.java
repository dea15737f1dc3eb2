package dev.sextant.ingest;

import dev.sextant.common.Ids;
import dev.sextant.validation.Validator;
import dev.sextant.ingest.Writes.ScoreWrite;
import dev.sextant.ingest.Writes.SpanWrite;
import dev.sextant.ingest.Writes.TraceWrite;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/** Validates one item body of each type; the {@link Validator} collects what is wrong. */
final class ItemParser {

  static final int MAX_TAGS = 50;
  static final int MAX_TAG_LENGTH = 200;
  private static final long MAX_TOKENS = 1L << 53;
  /** Far above any real call, and low enough that no sum of them ever overflows a double. */
  private static final double MAX_COST_USD = 1e9;
  private static final Set<String> STATUSES = Set.of("ok", "error");
  private static final Set<String> KINDS =
      Set.of("llm", "tool", "retrieval", "embedding", "chain", "agent", "other");
  private static final Set<String> SOURCES = Set.of("api", "eval", "human");

  private ItemParser() {}

  static TraceWrite trace(JsonObject body, Validator v) {
    String id = v.optionalClientId("id");
    OffsetDateTime start = v.optionalTimestamp("start_time");
    OffsetDateTime end = v.optionalTimestamp("end_time");
    checkOrder(v, start, end);
    return new TraceWrite(
        id != null || body.getValue("id") != null ? id : Ids.newUuid().toString(),
        v.optionalString("name", Validator.MAX_NAME),
        v.optionalString("user_id", Validator.MAX_NAME),
        v.optionalString("session_id", Validator.MAX_NAME),
        v.optionalString("release", Validator.MAX_NAME),
        v.optionalStringArray("tags", MAX_TAGS, MAX_TAG_LENGTH),
        v.optionalObjectJson("metadata"),
        v.optionalJson("input"),
        v.optionalJson("output"),
        start, end,
        v.optionalEnum("status", STATUSES));
  }

  static SpanWrite span(JsonObject body, Validator v) {
    String id = v.optionalClientId("id");
    OffsetDateTime start = v.optionalTimestamp("start_time");
    OffsetDateTime end = v.optionalTimestamp("end_time");
    checkOrder(v, start, end);
    return new SpanWrite(
        id != null || body.getValue("id") != null ? id : Ids.newUuid().toString(),
        v.requiredClientId("trace_id"),
        v.optionalClientId("parent_id"),
        v.optionalString("name", Validator.MAX_NAME),
        v.optionalEnum("kind", KINDS),
        start, end,
        v.optionalEnum("status", STATUSES),
        v.optionalString("status_message", Validator.MAX_TEXT),
        v.optionalString("model", Validator.MAX_NAME),
        v.optionalLong("input_tokens", 0, MAX_TOKENS),
        v.optionalLong("output_tokens", 0, MAX_TOKENS),
        v.optionalDouble("cost_usd", 0, MAX_COST_USD),
        v.optionalJson("input"),
        v.optionalJson("output"),
        v.optionalObjectJson("attributes"));
  }

  /**
   * A score. One sent without an id is new, so it needs its {@code trace_id}, {@code name} and
   * {@code value}; with an id, fields left out keep their stored values, and whether a score of
   * that id exists to keep them is known only when it is written ({@link IngestRepository}).
   */
  static ScoreWrite score(JsonObject body, Validator v) {
    boolean sentId = body.getValue("id") != null;
    String id = v.optionalClientId("id");
    Object value = body.getValue("value");
    Double number = null;
    String label = null;
    if (value instanceof Number) {
      number = v.optionalDouble("value", -Double.MAX_VALUE, Double.MAX_VALUE);
    } else if (value instanceof String) {
      label = v.requiredString("value", Validator.MAX_NAME);
    } else if (value != null || !sentId) {
      v.error("value", value == null ? "required" : "must be a number or a string label");
    }
    String name = sentId ? v.optionalString("name", Validator.MAX_NAME) : v.requiredString("name", Validator.MAX_NAME);
    v.check(!sentId || name == null || !name.isBlank(), "name", "must not be blank");
    return new ScoreWrite(
        sentId ? id : Ids.newUuid().toString(),
        sentId ? v.optionalClientId("trace_id") : v.requiredClientId("trace_id"),
        v.optionalClientId("span_id"),
        name,
        number, label,
        v.optionalEnum("source", SOURCES),
        v.optionalString("comment", Validator.MAX_TEXT));
  }

  private static void checkOrder(Validator v, OffsetDateTime start, OffsetDateTime end) {
    v.check(start == null || end == null || !end.isBefore(start), "end_time",
        "must not be before start_time");
  }

  static List<String> types() {
    return List.of("trace", "span", "score");
  }
}
