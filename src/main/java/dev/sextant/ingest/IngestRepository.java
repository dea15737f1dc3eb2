package dev.sextant.ingest;

import dev.sextant.db.SqlStates;
import dev.sextant.ingest.Writes.ScoreWrite;
import dev.sextant.ingest.Writes.SpanWrite;
import dev.sextant.ingest.Writes.TraceWrite;
import dev.sextant.rollups.RollupDeltas;
import dev.sextant.tracemodel.SpanTotals;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
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
import java.util.function.IntFunction;
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
   * the connection. What the created traces and their spans add to the roll-ups is counted from
   * the rows written and written as deltas ({@link RollupDeltas}); the minutes whose roll-ups the
   * changes to existing traces make stale are read before those rows change
   * ({@code MINUTES_BEFORE}) and marked, with those they are in after every write, by the last
   * statement ({@code MARK}).
   *
   * @return the ids of the scores that were only to be updated (sent without trace, name or value)
   *     and that do not exist: everything else is written
   */
  Future<Set<String>> write(UUID projectId, Collection<TraceWrite> traces, Collection<SpanWrite> spans,
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
  private Future<Set<String>> write(UUID projectId, Tuple traceParams, Collection<SpanWrite> spans,
      Collection<ScoreWrite> scores, boolean insertSpansOfNewTraces) {
    Map<Boolean, List<ScoreWrite>> scoresByComplete =
        scores.stream().collect(Collectors.partitioningBy(ScoreWrite::isComplete));
    List<ScoreWrite> updates = scoresByComplete.get(false);
    return pool.withTransaction(conn -> conn.preparedQuery(IngestSql.UPSERT_TRACES)
        .execute(traceParams)
        .compose(rows -> {
          Set<String> created = new HashSet<>();
          List<String> recompute = new ArrayList<>();
          RollupDeltas deltas = new RollupDeltas();
          for (Row row : rows) {
            boolean isNew = insertSpansOfNewTraces && row.getBoolean("created");
            (isNew ? created : recompute).add(row.getString("id"));
            if (isNew) {
              deltas.addTrace(row);
            }
          }
          Map<Boolean, List<SpanWrite>> spansByNew = spans.stream().collect(Collectors.partitioningBy(
              span -> created.contains(span.traceId())));
          for (SpanWrite span : spansByNew.get(true)) {
            deltas.addSpan(span.startTime(), span.endTime(), span.model(),
                SpanTotals.failed(span.status()), span.inputTokens(), span.outputTokens(), span.costUsd());
          }
          List<Future<?>> steps = new ArrayList<>();
          Future<RowSet<Row>> minutesBefore = recompute.isEmpty() ? null
              : conn.preparedQuery(IngestSql.MINUTES_BEFORE)
                  .execute(Tuple.tuple().addValue(projectId).addValue(recompute.toArray(String[]::new)));
          if (!spansByNew.get(true).isEmpty()) {
            steps.add(run(conn, IngestSql.INSERT_SPANS, spanParams(projectId, spansByNew.get(true))));
          }
          if (!spansByNew.get(false).isEmpty()) {
            steps.add(run(conn, IngestSql.UPSERT_SPANS, spanParams(projectId, spansByNew.get(false))));
          }
          if (!scoresByComplete.get(true).isEmpty()) {
            steps.add(run(conn, IngestSql.UPSERT_SCORES, scoreParams(projectId, scoresByComplete.get(true))));
          }
          Future<Set<String>> missing = updates.isEmpty()
              ? Future.succeededFuture(Set.of())
              : conn.preparedQuery(IngestSql.UPDATE_SCORES).execute(scoreParams(projectId, updates))
                  .map(found -> absentIds(updates, found));
          steps.add(missing);
          if (!recompute.isEmpty()) {
            steps.add(run(conn, IngestSql.RECOMPUTE_TRACES,
                Tuple.tuple().addValue(projectId).addValue(recompute.toArray(String[]::new))));
          }
          if (!deltas.isEmpty()) {
            steps.add(run(conn, RollupDeltas.INSERT, deltas.params(projectId)));
          }
          if (minutesBefore != null) {
            // sent once the minutes before are read: after every statement above
            steps.add(minutesBefore.compose(before -> run(conn, IngestSql.MARK,
                markParams(projectId, recompute, spansByNew.get(false), before))));
          }
          return Future.all(steps).map(v -> missing.result());
        }));
  }

  /**
   * The traces that existed before the batch, the start times their spans were sent with, and the
   * minutes they were in before.
   */
  private static Tuple markParams(UUID projectId, List<String> traces, Collection<SpanWrite> spans,
      RowSet<Row> minutesBefore) {
    String[] ids = traces.toArray(String[]::new);
    OffsetDateTime[] starts = spans.stream().map(SpanWrite::startTime).filter(t -> t != null)
        .toArray(OffsetDateTime[]::new);
    List<OffsetDateTime> before = new ArrayList<>();
    minutesBefore.forEach(row -> before.add(row.getOffsetDateTime("minute")));
    return Tuple.tuple().addValue(projectId).addValue(ids).addValue(starts)
        .addValue(before.toArray(OffsetDateTime[]::new));
  }

  /** The ids of the scores to update that the update did not find. */
  private static Set<String> absentIds(List<ScoreWrite> updates, RowSet<Row> found) {
    Set<String> absent = new HashSet<>();
    updates.forEach(score -> absent.add(score.id()));
    found.forEach(row -> absent.remove(row.getString("id")));
    return absent;
  }

  /** A span of a trace this transaction created was stored already (see INSERT_SPANS). */
  private static boolean isDuplicateSpan(Throwable failure) {
    return SqlStates.isUniqueViolation(failure, "spans_pkey");
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
    scores.stream().filter(s -> s.traceId() != null).forEach(s -> referenced.add(s.traceId()));
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
        .addValue(column(rows, String[]::new, TraceWrite::id))
        .addValue(column(rows, String[]::new, TraceWrite::name))
        .addValue(column(rows, String[]::new, TraceWrite::userId))
        .addValue(column(rows, String[]::new, TraceWrite::sessionId))
        .addValue(column(rows, String[]::new, TraceWrite::release))
        .addValue(column(rows, String[]::new, t -> t.tags() == null ? null : new JsonArray(t.tags()).encode()))
        .addValue(column(rows, String[]::new, TraceWrite::metadata))
        .addValue(column(rows, String[]::new, TraceWrite::input))
        .addValue(column(rows, String[]::new, TraceWrite::output))
        .addValue(column(rows, OffsetDateTime[]::new, TraceWrite::startTime))
        .addValue(column(rows, OffsetDateTime[]::new, TraceWrite::endTime))
        .addValue(column(rows, String[]::new, TraceWrite::status))
        .addValue(column(totals, Integer[]::new, SpanTotals::count))
        .addValue(column(totals, Integer[]::new, SpanTotals::errors))
        .addValue(column(totals, Long[]::new, SpanTotals::inputTokens))
        .addValue(column(totals, Long[]::new, SpanTotals::outputTokens))
        .addValue(column(totals, Double[]::new, SpanTotals::cost))
        .addValue(column(totals, OffsetDateTime[]::new, SpanTotals::start))
        .addValue(column(totals, OffsetDateTime[]::new, SpanTotals::end));
  }

  /**
   * The span columns, filled in one pass: a batch has hundreds of spans, and one getter call site
   * per column keeps each call direct.
   */
  private static Tuple spanParams(UUID projectId, List<SpanWrite> rows) {
    int n = rows.size();
    String[] traceIds = new String[n];
    String[] ids = new String[n];
    String[] parentIds = new String[n];
    String[] names = new String[n];
    String[] kinds = new String[n];
    OffsetDateTime[] starts = new OffsetDateTime[n];
    OffsetDateTime[] ends = new OffsetDateTime[n];
    String[] statuses = new String[n];
    String[] statusMessages = new String[n];
    String[] models = new String[n];
    Long[] inputTokens = new Long[n];
    Long[] outputTokens = new Long[n];
    Double[] costs = new Double[n];
    String[] inputs = new String[n];
    String[] outputs = new String[n];
    String[] attributes = new String[n];
    for (int i = 0; i < n; i++) {
      SpanWrite span = rows.get(i);
      traceIds[i] = span.traceId();
      ids[i] = span.id();
      parentIds[i] = span.parentId();
      names[i] = span.name();
      kinds[i] = span.kind();
      starts[i] = span.startTime();
      ends[i] = span.endTime();
      statuses[i] = span.status();
      statusMessages[i] = span.statusMessage();
      models[i] = span.model();
      inputTokens[i] = span.inputTokens();
      outputTokens[i] = span.outputTokens();
      costs[i] = span.costUsd();
      inputs[i] = span.input();
      outputs[i] = span.output();
      attributes[i] = span.attributes();
    }
    return Tuple.tuple().addValue(projectId).addValue(traceIds).addValue(ids).addValue(parentIds)
        .addValue(names).addValue(kinds).addValue(starts).addValue(ends).addValue(statuses)
        .addValue(statusMessages).addValue(models).addValue(inputTokens).addValue(outputTokens)
        .addValue(costs).addValue(inputs).addValue(outputs).addValue(attributes);
  }

  private static Tuple scoreParams(UUID projectId, Collection<ScoreWrite> scores) {
    List<ScoreWrite> rows = List.copyOf(scores);
    return Tuple.tuple()
        .addValue(projectId)
        .addValue(column(rows, String[]::new, ScoreWrite::id))
        .addValue(column(rows, String[]::new, ScoreWrite::traceId))
        .addValue(column(rows, String[]::new, ScoreWrite::spanId))
        .addValue(column(rows, String[]::new, ScoreWrite::name))
        .addValue(column(rows, Double[]::new, ScoreWrite::valueNum))
        .addValue(column(rows, String[]::new, ScoreWrite::valueLabel))
        .addValue(column(rows, String[]::new, ScoreWrite::source))
        .addValue(column(rows, String[]::new, ScoreWrite::comment));
  }

  private static <R, T> T[] column(List<R> rows, IntFunction<T[]> newArray, Function<R, T> field) {
    T[] values = newArray.apply(rows.size());
    for (int i = 0; i < values.length; i++) {
      values[i] = field.apply(rows.get(i));
    }
    return values;
  }
}
