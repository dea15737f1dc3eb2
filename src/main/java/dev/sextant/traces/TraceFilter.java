package dev.sextant.traces;

import dev.sextant.common.Cursors;
import dev.sextant.common.Page;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The filters of {@code GET /api/v1/traces}, turned into a statement built from fixed fragments
 * with every value bound. Each equality filter matches an index led by
 * {@code (project_id, <field>, sort_time DESC, id DESC)}, so a page is a short index range scan.
 */
record TraceFilter(OffsetDateTime from, OffsetDateTime to, String name, String userId,
    String sessionId, String release, List<String> tags, String status, Cursors.Position after,
    int limit) {

  /** The statement and its parameters; a page's {@link Page#fetchSize} rows are read. */
  Query toQuery(java.util.UUID projectId) {
    StringBuilder sql = new StringBuilder(TraceSql.LIST_SELECT);
    Tuple params = Tuple.of(projectId);
    if (from != null) {
      sql.append(" AND sort_time >= $").append(add(params, from));
    }
    if (to != null) {
      sql.append(" AND sort_time < $").append(add(params, to));
    }
    equal(sql, params, "name", name);
    equal(sql, params, "user_id", userId);
    equal(sql, params, "session_id", sessionId);
    equal(sql, params, "release", release);
    if (!tags.isEmpty()) {
      sql.append(" AND tags @> $").append(add(params, tags.toArray(String[]::new))).append("::text[]");
    }
    if ("error".equals(status)) {
      sql.append(" AND is_error");
    } else if ("ok".equals(status)) {
      sql.append(" AND NOT is_error");
    }
    if (after != null) {
      int t = add(params, after.time());
      int i = add(params, after.id());
      sql.append(" AND (sort_time, id) < ($").append(t).append(", $").append(i).append(')');
    }
    sql.append(TraceSql.LIST_ORDER).append(Page.fetchSize(limit));
    return new Query(sql.toString(), params);
  }

  record Query(String sql, Tuple params) {}

  private static void equal(StringBuilder sql, Tuple params, String column, String value) {
    if (value != null) {
      sql.append(" AND ").append(column).append(" = $").append(add(params, value));
    }
  }

  private static int add(Tuple params, Object value) {
    params.addValue(value);
    return params.size();
  }
}
