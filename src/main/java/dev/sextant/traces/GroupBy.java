package dev.sextant.traces;

import dev.sextant.rollups.RollupStats;
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
  NONE("none", "NULL::text", RollupStats.Dimension.NONE),
  NAME("name", "name", RollupStats.Dimension.NAME),
  /** Counts spans, not traces: a model is a span's ({@link TraceSql#MODEL_STATS}). */
  MODEL("model", "model", RollupStats.Dimension.MODEL),
  USER_ID("user_id", "user_id", RollupStats.Dimension.USER_ID),
  RELEASE("release", "release", RollupStats.Dimension.RELEASE);

  /** The allowlist: every grouping by the name a client sends. */
  static final Map<String, GroupBy> BY_PARAM = Arrays.stream(values())
      .collect(Collectors.toUnmodifiableMap(GroupBy::param, Function.identity()));

  private final String param;
  private final String column;
  private final RollupStats.Dimension dimension;

  GroupBy(String param, String column, RollupStats.Dimension dimension) {
    this.param = param;
    this.column = column;
    this.dimension = dimension;
  }

  /** The roll-ups that answer this grouping. */
  RollupStats.Dimension dimension() {
    return dimension;
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
