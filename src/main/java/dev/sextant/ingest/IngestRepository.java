package dev.sextant.ingest;

import dev.sextant.ingest.Writes.ScoreWrite;
import dev.sextant.ingest.Writes.SpanWrite;
import dev.sextant.ingest.Writes.TraceWrite;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Writes one batch in one transaction: all of it is committed, or none. */
final class IngestRepository {

  private final Pool pool;

  IngestRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Upserts the batch in one transaction. The trace rows go first: that takes their row locks, and
   * tells which traces this transaction created. The spans of those are inserted plainly, the rest
   * merged; then the scores, and the derived fields of the traces that existed before (a created
   * trace is inserted with them). The statements after the first are sent together, pipelined on
   * the connection.
   */
  Future<Void> write(UUID projectId, Collection<TraceWrite> traces, Collection<SpanWrite> spans,
      Collection<ScoreWrite> scores) {
    List<TraceWrite> allTraces = withStubs(traces, spans, scores);
    Tuple traceParams = traceParams(projectId, allTraces, SpanTotals.byTrace(spans));
    return write(projectId, traceParams, spans, scores, true)
        .recover(failure -> isDuplicateSpan(failure)
            ? write(projectId, traceParams, spans, scores, false)
            : Future.failedFuture(failure));
  }

  /**
   * With {@code insertSpansOfNewTraces} false (the retry after a duplicate span), every trace is
   * treated as one that existed: its spans merged, its derived fields recomputed.
   */
  private Future<Void> write(UUID projectId, Tuple traceParams, Collection<SpanWrite> spans,
      Collection<ScoreWrite> scores, boolean insertSpansOfNewTraces) {
    return pool.withTransaction(conn -> conn.preparedQuery(IngestSql.UPSERT_TRACES)
        .execute(traceParams)
        .compose(rows -> {
          Set<String> created = new HashSet<>();
          List<String> recompute = new ArrayList<>();
          for (Row row : rows) {
            boolean isNew = insertSpansOfNewTraces && row.getBoolean("created");
            (isNew ? created : recompute).add(row.getString("id"));
          }
          Map<Boolean, List<SpanWrite>> spansByNew = spans.stream().collect(Collectors.partitioningBy(
              span -> created.contains(span.traceId())));
          List<Future<?>> steps = new ArrayList<>();
          if (!spansByNew.get(true).isEmpty()) {
            steps.add(run(conn, IngestSql.INSERT_SPANS, spanParams(projectId, spansByNew.get(true))));
          }
          if (!spansByNew.get(false).isEmpty()) {
            steps.add(run(conn, IngestSql.UPSERT_SPANS, spanParams(projectId, spansByNew.get(false))));
          }
          if (!scores.isEmpty()) {
            steps.add(run(conn, IngestSql.UPSERT_SCORES, scoreParams(projectId, scores)));
          }
          if (!recompute.isEmpty()) {
            steps.add(run(conn, IngestSql.RECOMPUTE_TRACES,
                Tuple.tuple().addValue(projectId).addValue(recompute.toArray(String[]::new))));
          }
          return Future.all(steps).mapEmpty();
        }));
  }

  /** A span of a trace this transaction created was stored already (see INSERT_SPANS). */
  private static boolean isDuplicateSpan(Throwable failure) {
    return failure instanceof PgException pg && "23505".equals(pg.getSqlState())
        && "spans_pkey".equals(pg.getConstraint());
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

  private static Tuple traceParams(UUID projectId, List<TraceWrite> rows,
      Map<String, SpanTotals> spanTotals) {
    List<SpanTotals> totals = rows.stream()
        .map(t -> spanTotals.getOrDefault(t.id(), SpanTotals.NONE))
        .toList();
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
        .addValue(column(rows, String.class, TraceWrite::status))
        .addValue(column(totals, Integer.class, SpanTotals::count))
        .addValue(column(totals, Integer.class, SpanTotals::errors))
        .addValue(column(totals, Long.class, SpanTotals::inputTokens))
        .addValue(column(totals, Long.class, SpanTotals::outputTokens))
        .addValue(column(totals, Double.class, SpanTotals::cost))
        .addValue(column(totals, OffsetDateTime.class, SpanTotals::start))
        .addValue(column(totals, OffsetDateTime.class, SpanTotals::end));
  }

  private static Tuple spanParams(UUID projectId, List<SpanWrite> rows) {
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
