package dev.sextant.traces;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Reads and deletes traces of one project. */
final class TraceRepository {

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

  Future<JsonArray> stats(UUID projectId, String groupBy, OffsetDateTime from, OffsetDateTime to) {
    String sql = groupBy.equals("model")
        ? TraceSql.MODEL_STATS
        : TraceSql.TRACE_STATS.formatted(groupBy.equals("none") ? "NULL::text" : groupBy);
    return pool.preparedQuery(sql).execute(Tuple.of(projectId, from, to)).map(rows -> {
      JsonArray data = new JsonArray();
      rows.forEach(row -> data.add(TraceJson.stats(row)));
      return data;
    });
  }
}
