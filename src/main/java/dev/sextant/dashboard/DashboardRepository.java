package dev.sextant.dashboard;

import dev.sextant.rollups.Aggregate;
import dev.sextant.rollups.LatencySketch;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads a dashboard from the roll-up tables; rows are mapped into {@link Dashboard} here, once. */
final class DashboardRepository {

  private final Pool pool;

  DashboardRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * The dashboard of {@code window} ending with the bucket that holds {@code now}. The three reads
   * are pipelined on one connection.
   */
  Future<Dashboard> read(UUID project, Window window, Instant now) {
    Instant start = window.start(now);
    Tuple range = Tuple.of(project, window.sourceSeconds(), start.atOffset(ZoneOffset.UTC),
        window.end(now).atOffset(ZoneOffset.UTC));
    return pool.withConnection(conn -> {
      Future<RowSet<Row>> series = conn.preparedQuery(DashboardSql.SERIES).execute(range);
      Future<RowSet<Row>> models = conn.preparedQuery(DashboardSql.TOP_MODELS).execute(range);
      Future<RowSet<Row>> traces = conn.preparedQuery(DashboardSql.TOP_TRACES).execute(range);
      return Future.all(series, models, traces).map(v -> dashboard(window, start,
          series.result(), models.result(), traces.result()));
    });
  }

  private static Dashboard dashboard(Window window, Instant start, RowSet<Row> seriesRows,
      RowSet<Row> modelRows, RowSet<Row> traceRows) {
    int buckets = window.buckets();
    Aggregate[] byBucket = new Aggregate[buckets];
    for (int i = 0; i < buckets; i++) {
      byBucket[i] = new Aggregate();
    }
    Aggregate totals = new Aggregate();
    for (Row row : seriesRows) {
      long offset = row.getOffsetDateTime("bucket").toEpochSecond() - start.getEpochSecond();
      Aggregate into = byBucket[(int) (offset / window.bucketSeconds())];
      into.add(row.getLong("traces"), row.getLong("errors"), row.getLong("input_tokens"),
          row.getLong("output_tokens"), row.getDouble("cost"));
      mergeSketch(into, row);
    }
    List<Dashboard.Point> series = new ArrayList<>(buckets);
    for (int i = 0; i < buckets; i++) {
      totals.add(byBucket[i]);
      series.add(new Dashboard.Point(start.plusSeconds((long) i * window.bucketSeconds()),
          Dashboard.Figures.of(byBucket[i])));
    }
    List<Dashboard.ModelUse> models = new ArrayList<>();
    for (Row row : modelRows) {
      models.add(new Dashboard.ModelUse(row.getString("model"), row.getLong("calls"),
          row.getLong("input_tokens"), row.getLong("output_tokens"), row.getDouble("cost")));
    }
    return new Dashboard(window, series, Dashboard.Figures.of(totals), models, topTraces(traceRows));
  }

  /** The top names in the order of their counts, each with its buckets' sketches merged. */
  private static List<Dashboard.TraceName> topTraces(RowSet<Row> rows) {
    Map<String, Aggregate> byName = new LinkedHashMap<>();
    for (Row row : rows) {
      Aggregate a = byName.computeIfAbsent(row.getString("name"), name -> new Aggregate());
      a.count = row.getLong("count");
      mergeSketch(a, row);
    }
    List<Dashboard.TraceName> names = new ArrayList<>();
    byName.forEach((name, a) -> names.add(new Dashboard.TraceName(name, a.count, a.p95())));
    names.sort((x, y) -> x.count() != y.count() ? Long.compare(y.count(), x.count())
        : x.name().compareTo(y.name()));
    return names;
  }

  private static void mergeSketch(Aggregate into, Row row) {
    Buffer sketch = row.getBuffer("latency");
    if (sketch != null) {
      LatencySketch.mergeInto(into.latency, sketch.getBytes());
    }
  }
}
