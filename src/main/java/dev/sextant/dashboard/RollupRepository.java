package dev.sextant.dashboard;

import dev.sextant.rollups.Aggregate;
import dev.sextant.rollups.LatencySketch;
import dev.sextant.rollups.Rollups;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The roll-up tables' upkeep: taking the writers' marks, recomputing marked minutes from the raw
 * rows and their hours from the minute rows. Every step can run again with the same outcome (the
 * job is delivered at least once).
 */
final class RollupRepository {

  private static final int MINUTE = Rollups.MINUTE;
  private static final int HOUR = Rollups.HOUR;
  private static final int DAY = Rollups.DAY;

  /** A roll-up row being built: its bucket, its group and the group's figures. */
  record Key(OffsetDateTime bucket, String dimension, String key) {}

  private final Pool pool;

  RollupRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Moves the writers' marks to the pending ones. The exclusive lock first waits for every writer
   * that has marked to commit, so what a later recompute reads holds all of their rows.
   */
  Future<Void> takeMarks() {
    return pool.withTransaction(conn -> conn.preparedQuery(RollupSql.LOCK_MARKS).execute()
        .compose(v -> conn.preparedQuery(RollupSql.TAKE_MARKS).execute())
        .mapEmpty());
  }

  Future<List<UUID>> pendingProjects() {
    return pool.preparedQuery(RollupSql.PENDING_PROJECTS).execute().map(rows -> {
      List<UUID> projects = new ArrayList<>();
      rows.forEach(row -> projects.add(row.getUUID(0)));
      return projects;
    });
  }

  /** Age in seconds of the oldest mark not folded in; 0 when none. */
  Future<Double> lagSeconds() {
    return pool.preparedQuery(RollupSql.LAG).execute()
        .map(rows -> rows.iterator().next().getDouble("lag"));
  }

  /**
   * Recomputes up to {@code maxMinutes} of the project's pending minutes, the hours they are in
   * and the days of those hours, and drops those marks, in one transaction.
   *
   * @return how many minutes it folded (0: none was pending)
   */
  Future<Integer> fold(UUID project, int maxMinutes) {
    return pool.withTransaction(conn -> conn.preparedQuery(RollupSql.LOCK_FOLD).execute()
        .compose(v -> conn.preparedQuery(RollupSql.PENDING_MINUTES).execute(Tuple.of(project, maxMinutes)))
        .compose(pending -> {
          List<OffsetDateTime> minutes = new ArrayList<>();
          pending.forEach(row -> minutes.add(row.getOffsetDateTime("minute")));
          if (minutes.isEmpty()) {
            return Future.succeededFuture(0);
          }
          OffsetDateTime[] minuteArray = minutes.toArray(OffsetDateTime[]::new);
          OffsetDateTime[] hours = bucketsOf(minutes, ChronoUnit.HOURS);
          OffsetDateTime[] days = bucketsOf(minutes, ChronoUnit.DAYS);
          Tuple byMinutes = Tuple.tuple().addValue(project).addValue(minuteArray);
          return recomputeMinutes(conn, project, byMinutes, minuteArray)
              .compose(v -> recomputeFromRows(conn, project, HOUR, hours,
                  RollupSql.TRACE_MINUTES_OF_HOURS, RollupSql.MODEL_MINUTES_OF_HOURS))
              .compose(v -> recomputeFromRows(conn, project, DAY, days,
                  RollupSql.TRACE_HOURS_OF_DAYS, RollupSql.MODEL_HOURS_OF_DAYS))
              .compose(v -> conn.preparedQuery(RollupSql.DELETE_PENDING).execute(byMinutes))
              .map(minutes.size());
        }));
  }

  private static Future<Void> recomputeMinutes(SqlConnection conn, UUID project, Tuple byMinutes,
      OffsetDateTime[] minutes) {
    Future<RowSet<Row>> traces = conn.preparedQuery(RollupSql.TRACE_MINUTES).execute(byMinutes);
    Future<RowSet<Row>> models = conn.preparedQuery(RollupSql.MODEL_MINUTES).execute(byMinutes);
    return Future.all(traces, models).compose(v -> {
      Map<Key, Aggregate> traceRows = new LinkedHashMap<>();
      for (Row row : traces.result()) {
        Key key = new Key(row.getOffsetDateTime("bucket"), row.getString("dimension"),
            row.getString("key"));
        traceRows.put(key, aggregate(row));
      }
      Map<Key, Aggregate> modelRows = new LinkedHashMap<>();
      for (Row row : models.result()) {
        modelRows.put(new Key(row.getOffsetDateTime("bucket"), null, row.getString("model")),
            aggregate(row));
      }
      return replace(conn, project, MINUTE, minutes, traceRows, modelRows);
    });
  }

  /**
   * Recomputes the rows {@code seconds} wide of {@code buckets} from the narrower rows within them
   * ({@code traceSql} and {@code modelSql} read those).
   */
  private static Future<Void> recomputeFromRows(SqlConnection conn, UUID project, int seconds,
      OffsetDateTime[] buckets, String traceSql, String modelSql) {
    Tuple byBuckets = Tuple.tuple().addValue(project).addValue(buckets);
    Future<RowSet<Row>> traces = conn.preparedQuery(traceSql).execute(byBuckets);
    Future<RowSet<Row>> models = conn.preparedQuery(modelSql).execute(byBuckets);
    return Future.all(traces, models).compose(v -> {
      Map<Key, Aggregate> traceRows = new LinkedHashMap<>();
      for (Row row : traces.result()) {
        Key key = new Key(row.getOffsetDateTime("hour"), row.getString("dimension"),
            row.getString("key"));
        fold(traceRows.computeIfAbsent(key, k -> new Aggregate()), row, "traces");
      }
      Map<Key, Aggregate> modelRows = new LinkedHashMap<>();
      for (Row row : models.result()) {
        Key key = new Key(row.getOffsetDateTime("hour"), null, row.getString("model"));
        fold(modelRows.computeIfAbsent(key, k -> new Aggregate()), row, "spans");
      }
      return replace(conn, project, seconds, buckets, traceRows, modelRows);
    });
  }

  /** Replaces the rows of width {@code seconds} of {@code buckets} with these. */
  private static Future<Void> replace(SqlConnection conn, UUID project, int seconds,
      OffsetDateTime[] buckets, Map<Key, Aggregate> traceRows, Map<Key, Aggregate> modelRows) {
    Tuple which = Tuple.tuple().addValue(project).addValue(seconds).addValue(buckets);
    List<Future<?>> steps = new ArrayList<>();
    steps.add(conn.preparedQuery(RollupSql.DELETE_TRACE_ROWS).execute(which));
    steps.add(conn.preparedQuery(RollupSql.DELETE_MODEL_ROWS).execute(which));
    if (!traceRows.isEmpty()) {
      steps.add(conn.preparedQuery(RollupSql.INSERT_TRACE_ROWS)
          .execute(rows(project, seconds, traceRows, true)));
    }
    if (!modelRows.isEmpty()) {
      steps.add(conn.preparedQuery(RollupSql.INSERT_MODEL_ROWS)
          .execute(rows(project, seconds, modelRows, false)));
    }
    return Future.all(steps).mapEmpty();
  }

  /** The insert's column arrays; the trace rows carry dimension and key, the model rows a model. */
  private static Tuple rows(UUID project, int seconds, Map<Key, Aggregate> rows, boolean traces) {
    int n = rows.size();
    OffsetDateTime[] buckets = new OffsetDateTime[n];
    String[] dimensions = new String[n];
    String[] keys = new String[n];
    Long[] counts = new Long[n];
    Long[] errors = new Long[n];
    Long[] inputTokens = new Long[n];
    Long[] outputTokens = new Long[n];
    Double[] costs = new Double[n];
    Buffer[] sketches = new Buffer[n];
    int i = 0;
    for (Map.Entry<Key, Aggregate> entry : rows.entrySet()) {
      Aggregate a = entry.getValue();
      buckets[i] = entry.getKey().bucket();
      dimensions[i] = entry.getKey().dimension();
      keys[i] = entry.getKey().key();
      counts[i] = a.count;
      errors[i] = a.errors;
      inputTokens[i] = a.inputTokens;
      outputTokens[i] = a.outputTokens;
      costs[i] = a.cost;
      byte[] sketch = LatencySketch.encode(a.latency);
      sketches[i] = sketch == null ? null : Buffer.buffer(sketch);
      i++;
    }
    Tuple tuple = Tuple.tuple().addValue(project).addValue(seconds).addValue(buckets);
    if (traces) {
      tuple.addValue(dimensions);
    }
    return tuple.addValue(keys).addValue(counts).addValue(errors).addValue(inputTokens)
        .addValue(outputTokens).addValue(costs).addValue(sketches);
  }

  /** A recomputed minute's figures, its sketch built from the bins counted in SQL. */
  private static Aggregate aggregate(Row row) {
    Aggregate a = new Aggregate();
    a.add(row.getLong("count"), row.getLong("errors"), row.getLong("input_tokens"),
        row.getLong("output_tokens"), row.getDouble("cost"));
    LatencySketch.addBins(a.latency, row.getArrayOfIntegers("bins"), row.getArrayOfLongs("counts"));
    return a;
  }

  /** Adds a stored row (its count in column {@code count}) to {@code into}. */
  private static void fold(Aggregate into, Row row, String count) {
    into.add(row.getLong(count), row.getLong("errors"), row.getLong("input_tokens"),
        row.getLong("output_tokens"), row.getDouble("cost"));
    Buffer sketch = row.getBuffer("latency");
    if (sketch != null) {
      LatencySketch.mergeInto(into.latency, sketch.getBytes());
    }
  }

  /** The buckets (hours, or UTC days) the minutes are in. */
  private static OffsetDateTime[] bucketsOf(List<OffsetDateTime> minutes, ChronoUnit unit) {
    TreeSet<OffsetDateTime> buckets = new TreeSet<>();
    minutes.forEach(minute -> buckets.add(minute.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(unit)));
    return buckets.toArray(OffsetDateTime[]::new);
  }
}
