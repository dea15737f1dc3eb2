package dev.sextant.traces;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How {@code GET /api/v1/traces/stats} groups: the {@code group_by} values the API takes, each with
 * the column its groups are keyed by. Only these columns ever reach the statement.
 */
enum GroupBy {

  /** One group over everything, keyed null. */
  NONE("none", "NULL::text"),
  NAME("name", "name"),
  /** Counts spans, not traces: a model is a span's ({@link TraceSql#MODEL_STATS}). */
  MODEL("model", "model"),
  USER_ID("user_id", "user_id"),
  RELEASE("release", "release");

  /** The allowlist: every grouping by the name a client sends. */
  static final Map<String, GroupBy> BY_PARAM = Arrays.stream(values())
      .collect(Collectors.toUnmodifiableMap(GroupBy::param, Function.identity()));

  private final String param;
  private final String column;

  GroupBy(String param, String column) {
    this.param = param;
    this.column = column;
  }

  /** The {@code group_by} value that asks for this grouping. */
  String param() {
    return param;
  }

  /** The SQL of the groups' key: a column of the rows counted, or NULL for {@link #NONE}. */
  String column() {
    return column;
  }

  /** Whether the groups count spans ({@link #MODEL}) rather than traces. */
  boolean countsSpans() {
    return this == MODEL;
  }
}
