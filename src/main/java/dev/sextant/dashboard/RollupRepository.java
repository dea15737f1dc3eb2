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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The roll-up tables' upkeep: taking the writers' marks, adding their deltas to the stored rows,
 * recomputing marked minutes from the raw rows and their hours from the minute rows. Every step
 * can run again with the same outcome (the job is delivered at least once): deltas are deleted in
 * the transaction that adds them in.
 */
final class RollupRepository {

  private static final int MINUTE = Rollups.MINUTE;
  private static final int HOUR = Rollups.HOUR;
  private static final int DAY = Rollups.DAY;

  /** A roll-up row being built: its width, its bucket and its group (model rows: key only). */
  record Key(int seconds, OffsetDateTime bucket, String dimension, String key) {}

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

  /** Age in seconds of the oldest mark or delta not folded in; 0 when none. */
  Future<Double> lagSeconds() {
    return pool.preparedQuery(RollupSql.LAG).execute()
        .map(rows -> rows.iterator().next().getDouble("lag"));
  }

  /**
   * Runs {@code pass} on one connection that holds the pass lock ({@link RollupSql#LOCK_PASS})
   * until it is done.
   */
  <T> Future<T> withPassLock(Function<SqlConnection, Future<T>> pass) {
    return pool.getConnection().compose(conn -> conn.query(RollupSql.LOCK_PASS).execute()
        .compose(locked -> pass.apply(conn)
            .eventually(() -> conn.query(RollupSql.UNLOCK_PASS).execute()))
        .eventually(conn::close));
  }

  Future<Set<UUID>> pendingProjects(SqlConnection conn) {
    return conn.preparedQuery(RollupSql.PENDING_PROJECTS).execute().map(rows -> {
      Set<UUID> projects = new LinkedHashSet<>();
      rows.forEach(row -> projects.add(row.getUUID(0)));
      return projects;
    });
  }

  /**
   * Takes every delta and adds it to the minute, hour and day rows it falls in, in one
   * transaction.
   *
   * @return the projects whose roll-ups changed
   */
  Future<Set<UUID>> foldDeltas(SqlConnection conn) {
    return inSnapshot(conn, () -> {
      Future<RowSet<Row>> traces = conn.preparedQuery(RollupSql.TAKE_TRACE_DELTAS).execute();
      Future<RowSet<Row>> models = conn.preparedQuery(RollupSql.TAKE_SPAN_DELTAS).execute();
      return Future.all(traces, models).compose(v -> {
        Map<UUID, Map<Key, Aggregate>> traceRows = deltasByProject(traces.result(), true);
        Map<UUID, Map<Key, Aggregate>> modelRows = deltasByProject(models.result(), false);
        Set<UUID> projects = new LinkedHashSet<>(traceRows.keySet());
        projects.addAll(modelRows.keySet());
        Future<Void> chain = Future.succeededFuture();
        for (UUID project : projects) {
          chain = chain.compose(done -> addToStored(conn, project,
              traceRows.getOrDefault(project, Map.of()), modelRows.getOrDefault(project, Map.of())));
        }
        return chain.map(projects);
      });
    });
  }

  /**
   * Recomputes up to {@code maxMinutes} of the project's pending minutes, the hours they are in
   * and the days of those hours, drops the minutes' deltas and their marks, in one transaction.
   *
   * @return how many minutes it folded (0: none was pending)
   */
  Future<Integer> fold(SqlConnection conn, UUID project, int maxMinutes) {
    return inSnapshot(conn, () -> conn.preparedQuery(RollupSql.NO_SORT).execute()
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
          return Future.all(conn.preparedQuery(RollupSql.DROP_TRACE_DELTAS).execute(byMinutes),
                  conn.preparedQuery(RollupSql.DROP_SPAN_DELTAS).execute(byMinutes))
              .compose(v -> recomputeMinutes(conn, project, byMinutes, minuteArray))
              .compose(v -> recomputeFromRows(conn, project, HOUR, hours,
                  RollupSql.TRACE_MINUTES_OF_HOURS, RollupSql.MODEL_MINUTES_OF_HOURS))
              .compose(v -> recomputeFromRows(conn, project, DAY, days,
                  RollupSql.TRACE_HOURS_OF_DAYS, RollupSql.MODEL_HOURS_OF_DAYS))
              .compose(v -> conn.preparedQuery(RollupSql.DELETE_PENDING).execute(byMinutes))
              .map(minutes.size());
        }));
  }

  /**
   * Runs {@code work} in a REPEATABLE READ transaction: all of it reads one snapshot, so the
   * deltas it takes or drops are exactly those of the commits whose raw rows it sees.
   */
  private static <T> Future<T> inSnapshot(SqlConnection conn, Supplier<Future<T>> work) {
    return conn.begin().compose(tx -> conn.query(RollupSql.ONE_SNAPSHOT).execute()
        .compose(v -> work.get())
        .compose(result -> tx.commit().map(result),
            failure -> tx.rollback().transform(v -> Future.failedFuture(failure))));
  }

  /**
   * The taken deltas summed by project and roll-up row: each delta goes to its minute, hour and
   * day, in each of its groups (a trace delta: the bucket's totals and its name, user id and
   * release; a span delta: its model).
   */
  private static Map<UUID, Map<Key, Aggregate>> deltasByProject(RowSet<Row> rows, boolean traces) {
    Map<UUID, Map<Key, Aggregate>> byProject = new LinkedHashMap<>();
    for (Row row : rows) {
      Map<Key, Aggregate> project = byProject.computeIfAbsent(row.getUUID("project_id"),
          p -> new LinkedHashMap<>());
      OffsetDateTime minute = row.getOffsetDateTime("minute").withOffsetSameInstant(ZoneOffset.UTC);
      Aggregate delta = aggregate(row);
      for (int seconds : Rollups.WIDTHS) {
        OffsetDateTime bucket = minute.truncatedTo(seconds == DAY ? ChronoUnit.DAYS
            : seconds == HOUR ? ChronoUnit.HOURS : ChronoUnit.MINUTES);
        List<Key> keys = traces
            ? List.of(new Key(seconds, bucket, Rollups.ALL, null),
                new Key(seconds, bucket, Rollups.NAME, row.getString("name")),
                new Key(seconds, bucket, Rollups.USER_ID, row.getString("user_id")),
                new Key(seconds, bucket, Rollups.RELEASE, row.getString("release")))
            : List.of(new Key(seconds, bucket, null, row.getString("model")));
        keys.forEach(key -> project.computeIfAbsent(key, k -> new Aggregate()).add(delta));
      }
    }
    return byProject;
  }

  /** Adds the deltas to the project's stored rows of the same keys (or stores them as new rows). */
  private static Future<Void> addToStored(SqlConnection conn, UUID project,
      Map<Key, Aggregate> traceRows, Map<Key, Aggregate> modelRows) {
    Future<Void> traces = traceRows.isEmpty() ? Future.succeededFuture()
        : conn.preparedQuery(RollupSql.FIND_TRACE_ROWS).execute(keys(project, traceRows, true))
            .map(stored -> mergeStored(traceRows, stored, "traces"));
    Future<Void> models = modelRows.isEmpty() ? Future.succeededFuture()
        : conn.preparedQuery(RollupSql.FIND_MODEL_ROWS).execute(keys(project, modelRows, false))
            .map(stored -> mergeStored(modelRows, stored, "spans"));
    return Future.all(traces, models).compose(v -> upsert(conn, project, traceRows, modelRows));
  }

  /** Folds each stored row into the aggregate of its key (its position {@code i} among the keys). */
  private static Void mergeStored(Map<Key, Aggregate> rows, RowSet<Row> stored, String count) {
    List<Aggregate> byPosition = new ArrayList<>(rows.values());
    for (Row row : stored) {
      fold(byPosition.get((int) (row.getLong("i") - 1)), row, count);
    }
    return null;
  }

  private static Future<Void> recomputeMinutes(SqlConnection conn, UUID project, Tuple byMinutes,
      OffsetDateTime[] minutes) {
    Future<RowSet<Row>> traces = conn.preparedQuery(RollupSql.TRACE_MINUTES).execute(byMinutes);
    Future<RowSet<Row>> models = conn.preparedQuery(RollupSql.MODEL_MINUTES).execute(byMinutes);
    return Future.all(traces, models).compose(v -> {
      Map<Key, Aggregate> traceRows = new LinkedHashMap<>();
      for (Row row : traces.result()) {
        Key key = new Key(MINUTE, row.getOffsetDateTime("bucket"), row.getString("dimension"),
            row.getString("key"));
        traceRows.put(key, aggregate(row));
      }
      Map<Key, Aggregate> modelRows = new LinkedHashMap<>();
      for (Row row : models.result()) {
        modelRows.put(new Key(MINUTE, row.getOffsetDateTime("bucket"), null, row.getString("model")),
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
        Key key = new Key(seconds, row.getOffsetDateTime("hour"), row.getString("dimension"),
            row.getString("key"));
        fold(traceRows.computeIfAbsent(key, k -> new Aggregate()), row, "traces");
      }
      Map<Key, Aggregate> modelRows = new LinkedHashMap<>();
      for (Row row : models.result()) {
        Key key = new Key(seconds, row.getOffsetDateTime("hour"), null, row.getString("model"));
        fold(modelRows.computeIfAbsent(key, k -> new Aggregate()), row, "spans");
      }
      return replace(conn, project, seconds, buckets, traceRows, modelRows);
    });
  }

  /** Replaces the rows of width {@code seconds} of {@code buckets} with these. */
  private static Future<Void> replace(SqlConnection conn, UUID project, int seconds,
      OffsetDateTime[] buckets, Map<Key, Aggregate> traceRows, Map<Key, Aggregate> modelRows) {
    Tuple which = Tuple.tuple().addValue(project).addValue(seconds).addValue(buckets);
    return Future.all(conn.preparedQuery(RollupSql.DELETE_TRACE_ROWS).execute(which),
            conn.preparedQuery(RollupSql.DELETE_MODEL_ROWS).execute(which))
        .compose(v -> upsert(conn, project, traceRows, modelRows));
  }

  private static Future<Void> upsert(SqlConnection conn, UUID project,
      Map<Key, Aggregate> traceRows, Map<Key, Aggregate> modelRows) {
    List<Future<?>> steps = new ArrayList<>();
    if (!traceRows.isEmpty()) {
      steps.add(conn.preparedQuery(RollupSql.UPSERT_TRACE_ROWS).execute(rows(project, traceRows, true)));
    }
    if (!modelRows.isEmpty()) {
      steps.add(conn.preparedQuery(RollupSql.UPSERT_MODEL_ROWS).execute(rows(project, modelRows, false)));
    }
    return Future.all(steps).mapEmpty();
  }

  /** The keys' column arrays: width, bucket, then dimension and key (trace rows) or model. */
  private static Tuple keys(UUID project, Map<Key, Aggregate> rows, boolean traces) {
    int n = rows.size();
    Integer[] seconds = new Integer[n];
    OffsetDateTime[] buckets = new OffsetDateTime[n];
    String[] dimensions = new String[n];
    String[] keys = new String[n];
    int i = 0;
    for (Key key : rows.keySet()) {
      seconds[i] = key.seconds();
      buckets[i] = key.bucket();
      dimensions[i] = key.dimension();
      keys[i] = key.key();
      i++;
    }
    Tuple tuple = Tuple.tuple().addValue(project).addValue(seconds).addValue(buckets);
    if (traces) {
      tuple.addValue(dimensions);
    }
    return tuple.addValue(keys);
  }

  /** The upsert's column arrays: {@link #keys}, then the figures. */
  private static Tuple rows(UUID project, Map<Key, Aggregate> rows, boolean traces) {
    int n = rows.size();
    Long[] counts = new Long[n];
    Long[] errors = new Long[n];
    Long[] inputTokens = new Long[n];
    Long[] outputTokens = new Long[n];
    Double[] costs = new Double[n];
    Buffer[] sketches = new Buffer[n];
    int i = 0;
    for (Aggregate a : rows.values()) {
      counts[i] = a.count;
      errors[i] = a.errors;
      inputTokens[i] = a.inputTokens;
      outputTokens[i] = a.outputTokens;
      costs[i] = a.cost;
      byte[] sketch = LatencySketch.encode(a.latency);
      sketches[i] = sketch == null ? null : Buffer.buffer(sketch);
      i++;
    }
    return keys(project, rows, traces).addValue(counts).addValue(errors).addValue(inputTokens)
        .addValue(outputTokens).addValue(costs).addValue(sketches);
  }

  /** A recomputed minute's or a delta's figures, its sketch built from the bins counted in SQL. */
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
