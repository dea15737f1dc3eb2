package dev.sextant.traces;

import dev.sextant.common.Page;
import dev.sextant.db.Cancellable;
import dev.sextant.rollups.Aggregate;
import dev.sextant.rollups.RollupStats;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** Reads and deletes traces of one project; rows are mapped into records here, once. */
final class TraceRepository {

  /** Before and after every time the API accepts (years 1970 to 9999): the open ends of a range. */
  private static final OffsetDateTime BEGINNING = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
  private static final OffsetDateTime FAR_FUTURE = OffsetDateTime.of(10000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  /**
   * A range shorter than this is read directly, with exact percentiles: it holds at most a few
   * minutes of rows, about what the edges of a longer range cost anyway.
   */
  static final Duration DIRECT_RANGE = Duration.ofMinutes(10);
  /** The most groups a stats answer lists. */
  private static final int MAX_GROUPS = 1000;

  private final Pool pool;
  private final RollupStats rollupStats;

  TraceRepository(Pool pool) {
    this.pool = pool;
    this.rollupStats = new RollupStats(pool);
  }

  /**
   * One page of the project's traces, newest first; cancelled in PostgreSQL should
   * {@code abandoned} complete first (its filters can make it the longest read of a request).
   */
  Future<Page<TraceSummary>> list(UUID projectId, TraceFilter filter, Future<?> abandoned) {
    TraceFilter.Query query = filter.toQuery(projectId);
    return Cancellable.withConnection(pool, abandoned,
            conn -> conn.preparedQuery(query.sql()).execute(query.params()))
        .map(rows -> Page.of(all(rows, TraceRepository::summary), filter.limit(), TraceSummary::position));
  }

  /**
   * The whole trace with its spans and scores, or null when the project has no such trace. The
   * three reads are pipelined on one connection: one pool slot per request, one round trip.
   */
  Future<TraceDetail> find(UUID projectId, String traceId) {
    Tuple key = Tuple.of(projectId, traceId);
    return pool.withConnection(conn -> {
      Future<RowSet<Row>> trace = conn.preparedQuery(TraceSql.TRACE_BY_ID).execute(key);
      Future<RowSet<Row>> spans = conn.preparedQuery(TraceSql.SPANS_OF_TRACE).execute(key);
      Future<RowSet<Row>> scores = conn.preparedQuery(TraceSql.SCORES_OF_TRACE).execute(key);
      return Future.all(trace, spans, scores).map(all -> trace.result().size() == 0 ? null
          : detail(trace.result().iterator().next(), all(spans.result(), TraceRepository::span),
              all(scores.result(), TraceRepository::score)));
    });
  }

  /**
   * Deletes the trace with its spans and scores; false when there was none. The trace's row goes
   * first (see {@link TraceSql#DELETE_TRACE}); its spans and scores after it, pipelined.
   */
  Future<Boolean> delete(UUID projectId, String traceId) {
    Tuple key = Tuple.of(projectId, traceId);
    return pool.withTransaction(conn -> conn.preparedQuery(TraceSql.DELETE_TRACE).execute(key)
        .compose(trace -> {
          if (trace.size() == 0) {
            return Future.succeededFuture(false);
          }
          OffsetDateTime sortTime = trace.iterator().next().getOffsetDateTime("sort_time");
          Future<?> spans = conn.preparedQuery(TraceSql.DELETE_SPANS)
              .execute(Tuple.of(projectId, traceId, sortTime));
          Future<?> scores = conn.preparedQuery(TraceSql.DELETE_SCORES).execute(key);
          return Future.all(spans, scores).map(true);
        }));
  }

  /**
   * Stats over {@code [from, to)}; a null bound leaves that side open. Read from the roll-ups,
   * unless the range is shorter than {@link #DIRECT_RANGE}.
   */
  Future<List<TraceStats>> stats(UUID projectId, GroupBy groupBy, OffsetDateTime from, OffsetDateTime to) {
    if (from != null && to != null && Duration.between(from, to).compareTo(DIRECT_RANGE) < 0) {
      return exactStats(projectId, groupBy, from, to);
    }
    Instant start = (from == null ? BEGINNING : from).toInstant();
    Instant end = (to == null ? FAR_FUTURE : to).toInstant();
    return rollupStats.read(projectId, groupBy.dimension(), start, end, from == null && to == null,
        MAX_GROUPS).map(groups -> {
          List<TraceStats> stats = new ArrayList<>(groups.size());
          for (RollupStats.Group group : groups) {
            Aggregate a = group.figures();
            stats.add(new TraceStats(group.key(), a.count, a.errors, a.p50(), a.p95(), a.p99(),
                a.inputTokens, a.outputTokens, a.cost));
          }
          // ungrouped, nothing is still one group: zero traces
          return stats.isEmpty() && groupBy == GroupBy.NONE ? List.of(TraceStats.NONE) : stats;
        });
  }

  /** Stats over {@code [from, to)} computed from the raw rows, percentiles exact. */
  Future<List<TraceStats>> exactStats(UUID projectId, GroupBy groupBy, OffsetDateTime from,
      OffsetDateTime to) {
    Tuple range = Tuple.of(projectId, from == null ? BEGINNING : from, to == null ? FAR_FUTURE : to);
    String sql;
    Tuple params;
    if (!groupBy.countsSpans()) {
      sql = TraceSql.traceStats(groupBy);
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
      List<TraceStats> groups = all(rows, TraceRepository::stats);
      // ungrouped, nothing is still one group: zero traces
      return groups.isEmpty() && groupBy == GroupBy.NONE ? List.of(TraceStats.NONE) : groups;
    });
  }

  private static <T> List<T> all(RowSet<Row> rows, Function<Row, T> record) {
    List<T> records = new ArrayList<>(rows.size());
    for (Row row : rows) {
      records.add(record.apply(row));
    }
    return records;
  }

  private static TraceSummary summary(Row row) {
    String[] tags = row.getArrayOfStrings("tags");
    return new TraceSummary(row.getString("id"), row.getString("name"), row.getString("user_id"),
        row.getString("session_id"), row.getString("release"),
        tags == null ? List.of() : List.of(tags),
        row.getOffsetDateTime("start_time"), row.getOffsetDateTime("end_time"),
        row.getBoolean("is_error"), row.getInteger("span_count"), row.getLong("input_tokens"),
        row.getLong("output_tokens"), row.getDouble("total_cost"), milliseconds(row, "latency_ms"),
        row.getOffsetDateTime("sort_time"), row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("updated_at"));
  }

  private static TraceDetail detail(Row trace, List<TraceDetail.Span> spans,
      List<TraceDetail.Score> scores) {
    return new TraceDetail(summary(trace), json(trace, "metadata"), json(trace, "input"),
        json(trace, "output"), spans, scores);
  }

  private static TraceDetail.Span span(Row row) {
    return new TraceDetail.Span(row.getString("id"), row.getString("trace_id"),
        row.getString("parent_id"), row.getString("name"), row.getString("kind"),
        row.getOffsetDateTime("start_time"), row.getOffsetDateTime("end_time"),
        milliseconds(row, "latency_ms"), row.getString("status"), row.getString("status_message"),
        row.getString("model"), row.getLong("input_tokens"), row.getLong("output_tokens"),
        row.getDouble("cost_usd"), json(row, "input"), json(row, "output"),
        json(row, "attributes"));
  }

  private static TraceDetail.Score score(Row row) {
    return new TraceDetail.Score(row.getString("id"), row.getString("trace_id"),
        row.getString("span_id"), row.getString("name"), row.getDouble("value_num"),
        row.getString("value_label"), row.getString("source"), row.getString("comment"),
        row.getOffsetDateTime("created_at"));
  }

  private static TraceStats stats(Row row) {
    Double[] pct = row.getArrayOfDoubles("pct");
    return new TraceStats(row.getString("key"), row.getLong("trace_count"),
        row.getLong("error_count"), pct == null ? null : pct[0], pct == null ? null : pct[1],
        pct == null ? null : pct[2], row.getLong("input_tokens"), row.getLong("output_tokens"),
        row.getDouble("total_cost"));
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
