package dev.sextant.ingest;

import dev.sextant.ingest.Writes.ScoreWrite;
import dev.sextant.ingest.Writes.SpanWrite;
import dev.sextant.ingest.Writes.TraceWrite;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/** Writes one batch in one transaction: all of it is committed, or none. */
final class IngestRepository {

  private final Pool pool;

  IngestRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Upserts the batch. The statements are sent together (pipelined on one connection) and run in
   * order: traces (taking their row locks), spans, scores, then the derived trace fields.
   */
  Future<Void> write(UUID projectId, Collection<TraceWrite> traces, Collection<SpanWrite> spans,
      Collection<ScoreWrite> scores) {
    List<TraceWrite> allTraces = withStubs(traces, spans, scores);
    return pool.withTransaction(conn -> {
      List<Future<?>> steps = new ArrayList<>();
      steps.add(run(conn, IngestSql.UPSERT_TRACES, traceParams(projectId, allTraces)));
      if (!spans.isEmpty()) {
        steps.add(run(conn, IngestSql.UPSERT_SPANS, spanParams(projectId, spans)));
      }
      if (!scores.isEmpty()) {
        steps.add(run(conn, IngestSql.UPSERT_SCORES, scoreParams(projectId, scores)));
      }
      String[] ids = allTraces.stream().map(TraceWrite::id).toArray(String[]::new);
      steps.add(run(conn, IngestSql.RECOMPUTE_TRACES, Tuple.tuple().addValue(projectId).addValue(ids)));
      return Future.all(steps).mapEmpty();
    });
  }

  private static Future<?> run(SqlConnection conn, String sql, Tuple params) {
    return conn.preparedQuery(sql).execute(params);
  }

  /** The batch's traces plus an all-absent stub for every trace only its spans or scores name. */
  private static List<TraceWrite> withStubs(Collection<TraceWrite> traces,
      Collection<SpanWrite> spans, Collection<ScoreWrite> scores) {
    TreeSet<String> known = new TreeSet<>();
    traces.forEach(t -> known.add(t.id()));
    List<TraceWrite> all = new ArrayList<>(traces);
    TreeSet<String> referenced = new TreeSet<>();
    spans.forEach(s -> referenced.add(s.traceId()));
    scores.forEach(s -> referenced.add(s.traceId()));
    for (String id : referenced) {
      if (!known.contains(id)) {
        all.add(new TraceWrite(id, null, null, null, null, null, null, null, null, null, null, null));
      }
    }
    return all;
  }

  private static Tuple traceParams(UUID projectId, List<TraceWrite> rows) {
    return Tuple.tuple()
        .addValue(projectId)
        .addValue(column(rows, String.class, TraceWrite::id))
        .addValue(column(rows, String.class, TraceWrite::name))
        .addValue(column(rows, String.class, TraceWrite::userId))
        .addValue(column(rows, String.class, TraceWrite::sessionId))
        .addValue(column(rows, String.class, TraceWrite::release))
        .addValue(column(rows, String.class, t -> t.tags() == null ? null : new JsonArray(t.tags()).encode()))
        .addValue(column(rows, String.class, TraceWrite::metadata))
        .addValue(column(rows, String.class, TraceWrite::input))
        .addValue(column(rows, String.class, TraceWrite::output))
        .addValue(column(rows, OffsetDateTime.class, TraceWrite::startTime))
        .addValue(column(rows, OffsetDateTime.class, TraceWrite::endTime))
        .addValue(column(rows, String.class, TraceWrite::status));
  }

  private static Tuple spanParams(UUID projectId, Collection<SpanWrite> spans) {
    List<SpanWrite> rows = List.copyOf(spans);
    return Tuple.tuple()
        .addValue(projectId)
        .addValue(column(rows, String.class, SpanWrite::traceId))
        .addValue(column(rows, String.class, SpanWrite::id))
        .addValue(column(rows, String.class, SpanWrite::parentId))
        .addValue(column(rows, String.class, SpanWrite::name))
        .addValue(column(rows, String.class, SpanWrite::kind))
        .addValue(column(rows, OffsetDateTime.class, SpanWrite::startTime))
        .addValue(column(rows, OffsetDateTime.class, SpanWrite::endTime))
        .addValue(column(rows, String.class, SpanWrite::status))
        .addValue(column(rows, String.class, SpanWrite::statusMessage))
        .addValue(column(rows, String.class, SpanWrite::model))
        .addValue(column(rows, Long.class, SpanWrite::inputTokens))
        .addValue(column(rows, Long.class, SpanWrite::outputTokens))
        .addValue(column(rows, Double.class, SpanWrite::costUsd))
        .addValue(column(rows, String.class, SpanWrite::input))
        .addValue(column(rows, String.class, SpanWrite::output))
        .addValue(column(rows, String.class, SpanWrite::attributes));
  }

  private static Tuple scoreParams(UUID projectId, Collection<ScoreWrite> scores) {
    List<ScoreWrite> rows = List.copyOf(scores);
    return Tuple.tuple()
        .addValue(projectId)
        .addValue(column(rows, String.class, ScoreWrite::id))
        .addValue(column(rows, String.class, ScoreWrite::traceId))
        .addValue(column(rows, String.class, ScoreWrite::spanId))
        .addValue(column(rows, String.class, ScoreWrite::name))
        .addValue(column(rows, Double.class, ScoreWrite::valueNum))
        .addValue(column(rows, String.class, ScoreWrite::valueLabel))
        .addValue(column(rows, String.class, ScoreWrite::source))
        .addValue(column(rows, String.class, ScoreWrite::comment));
  }

  @SuppressWarnings("unchecked")
  private static <R, T> T[] column(List<R> rows, Class<T> type, Function<R, T> field) {
    T[] values = (T[]) java.lang.reflect.Array.newInstance(type, rows.size());
    for (int i = 0; i < values.length; i++) {
      values[i] = field.apply(rows.get(i));
    }
    return values;
  }
}
