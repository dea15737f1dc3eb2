package dev.sextant.traces;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Reads and deletes traces of one project. */
final class TraceRepository {

  /** Before and after every time the API accepts (years 1970 to 9999): the open ends of a range. */
  private static final OffsetDateTime BEGINNING = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
  private static final OffsetDateTime FAR_FUTURE = OffsetDateTime.of(10000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  private final Pool pool;

  TraceRepository(Pool pool) {
    this.pool = pool;
  }

  Future<RowSet<Row>> list(UUID projectId, TraceFilter filter) {
    TraceFilter.Query query = filter.toQuery(projectId);
    return pool.preparedQuery(query.sql()).execute(query.params());
  }

  /**
   * The whole trace with its spans and scores, or null when the project has no such trace. The
   * three reads are pipelined on one connection: one pool slot per request, one round trip.
   */
  Future<JsonObject> find(UUID projectId, String traceId) {
    Tuple key = Tuple.of(projectId, traceId);
    return pool.withConnection(conn -> {
      Future<RowSet<Row>> trace = conn.preparedQuery(TraceSql.TRACE_BY_ID).execute(key);
      Future<RowSet<Row>> spans = conn.preparedQuery(TraceSql.SPANS_OF_TRACE).execute(key);
      Future<RowSet<Row>> scores = conn.preparedQuery(TraceSql.SCORES_OF_TRACE).execute(key);
      return Future.all(trace, spans, scores).map(all -> toDetail(trace.result(), spans.result(),
          scores.result()));
    });
  }

  private static JsonObject toDetail(RowSet<Row> trace, RowSet<Row> spans, RowSet<Row> scores) {
    if (trace.size() == 0) {
      return null;
    }
    JsonObject json = TraceJson.detail(trace.iterator().next());
    JsonArray spanJson = new JsonArray();
    spans.forEach(row -> spanJson.add(TraceJson.span(row)));
    JsonArray scoreJson = new JsonArray();
    scores.forEach(row -> scoreJson.add(TraceJson.score(row)));
    return json.put("spans", spanJson).put("scores", scoreJson);
  }

  /** Deletes the trace with its spans and scores; false when there was none. */
  Future<Boolean> delete(UUID projectId, String traceId) {
    Tuple key = Tuple.of(projectId, traceId);
    return pool.withTransaction(conn -> {
      Future<Boolean> deleted = conn.preparedQuery(TraceSql.DELETE_TRACE).execute(key)
          .map(rows -> rows.rowCount() > 0);
      Future<?> spans = conn.preparedQuery(TraceSql.DELETE_SPANS).execute(key);
      Future<?> scores = conn.preparedQuery(TraceSql.DELETE_SCORES).execute(key);
      return Future.all(deleted, spans, scores).map(v -> deleted.result());
    });
  }

  /** Stats over {@code [from, to)}; a null bound leaves that side open. */
  Future<JsonArray> stats(UUID projectId, String groupBy, OffsetDateTime from, OffsetDateTime to) {
    Tuple range = Tuple.of(projectId, from == null ? BEGINNING : from, to == null ? FAR_FUTURE : to);
    String sql;
    Tuple params;
    if (!groupBy.equals("model")) {
      sql = TraceSql.TRACE_STATS.formatted(groupBy.equals("none") ? "NULL::text" : groupBy);
      params = range;
    } else if (from == null && to == null) {
      sql = TraceSql.MODEL_STATS_ALL_TIME;
      params = Tuple.of(projectId);
    } else {
      sql = TraceSql.MODEL_STATS;
      params = range;
    }
    // planned for these values: a range of an hour and one of all time want different plans, which
    // the generic plan every other statement keeps (see Database) cannot both be
    Future<RowSet<Row>> result = pool.withTransaction(conn -> conn.query(TraceSql.PLAN_FOR_VALUES).execute()
        .compose(v -> conn.preparedQuery(sql).execute(params)));
    return result.map(rows -> {
      JsonArray data = new JsonArray();
      rows.forEach(row -> data.add(TraceJson.stats(row)));
      if (data.isEmpty() && groupBy.equals("none")) {
        data.add(TraceJson.noStats()); // ungrouped, nothing is still one group: zero traces
      }
      return data;
    });
  }
}
