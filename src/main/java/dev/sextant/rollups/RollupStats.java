package dev.sextant.rollups;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Stats of a project's traces (or, by model, spans) over {@code [from, to)} read from the
 * roll-ups: the whole UTC days, hours and minutes inside the range from their roll-up rows (the
 * widest that fit), the partial minutes at its two edges from the raw rows. The work is bounded by
 * the number of groups and of buckets (at most one range of days, 46 hours and 118 minutes, and
 * two partial minutes of raw rows), never by the number of rows stored. Minutes that writes marked
 * and the roll-up job has not folded in yet are read raw too (and their hour and day in narrower
 * rows), so stats show every acknowledged write at once, as they did when computed from raw rows.
 *
 * <p>Counts, errors, tokens and cost are exact sums; percentiles come from the merged DDSketches,
 * within {@link LatencySketch#ERROR_BOUND} (relative) of the exact value at that rank. The roll-ups
 * lag ingest by the roll-up job's delay (seconds), well inside the 60 s that stats may be stale.
 */
public final class RollupStats {

  /** How the stats group: the roll-up dimension each grouping reads, and its raw key column. */
  public enum Dimension {
    NONE(Rollups.ALL, "NULL::text"),
    NAME(Rollups.NAME, "name"),
    USER_ID(Rollups.USER_ID, "user_id"),
    RELEASE(Rollups.RELEASE, "release"),
    /** Spans by model, from {@code rollup_models}. */
    MODEL(null, "model");

    private final String rollup;
    private final String column;

    Dimension(String rollup, String column) {
      this.rollup = rollup;
      this.column = column;
    }
  }

  /** One group of the answer: its key (null: the rows without one) and its figures. */
  public record Group(String key, Aggregate figures) {}

  /** One range of roll-up rows of one width: buckets starting in {@code [from, to)}. */
  record Piece(int seconds, Instant from, Instant to) {}

  /** The parts of a range: roll-up pieces and raw edges ({@code seconds} 0). */
  record Plan(List<Piece> rollups, List<Piece> edges) {}

  /** The most minutes not folded in yet that a read takes from the raw rows. */
  static final int MAX_DIRTY = 60;

  private final Pool pool;

  public RollupStats(Pool pool) {
    this.pool = pool;
  }

  /**
   * The {@code limit} largest groups over {@code [from, to)}, most rows first (ties: by key,
   * null last). {@code untimed}: also the spans without a start time (by model, over all time).
   */
  public Future<List<Group>> read(UUID project, Dimension dimension, Instant from, Instant to,
      boolean untimed, int limit) {
    return pool.withConnection(conn -> dirtyMinutes(conn, project, from, to).compose(dirty -> {
      Plan plan = plan(from, to, dirty);
      List<Future<RowSet<Row>>> reads = new ArrayList<>();
      if (!plan.rollups().isEmpty()) {
        reads.add(readRollups(conn, project, dimension, plan.rollups()));
      }
      if (!plan.edges().isEmpty()) {
        reads.add(readEdges(conn, project, dimension, plan.edges()));
      }
      if (untimed && dimension == Dimension.MODEL) {
        reads.add(conn.preparedQuery(RollupStatsSql.MODEL_UNTIMED).execute(Tuple.of(project)));
      }
      return Future.all(reads).map(v -> {
        Map<String, Partial> groups = new HashMap<>();
        for (Future<RowSet<Row>> read : reads) {
          for (Row row : read.result()) {
            groups.computeIfAbsent(row.getString("key"), k -> new Partial()).add(row);
          }
        }
        return top(groups, limit);
      });
    }));
  }

  /**
   * The minutes of {@code [from, to)} that writes marked and no roll-up pass has taken in yet:
   * read before the roll-ups, so that a minute found clean here has every write acknowledged so
   * far in its roll-up rows. More than {@link #MAX_DIRTY} (a rebuild, a job far behind): none,
   * the roll-ups are read as they are (stats may be stale).
   */
  private static Future<NavigableSet<Long>> dirtyMinutes(SqlConnection conn, UUID project,
      Instant from, Instant to) {
    Instant firstMinute = Instant.ofEpochSecond(Math.floorDiv(from.getEpochSecond(), 60) * 60);
    return conn.preparedQuery(RollupStatsSql.DIRTY_MINUTES)
        .execute(Tuple.of(project, utc(firstMinute), utc(to), MAX_DIRTY + 1)).map(rows -> {
          NavigableSet<Long> minutes = new TreeSet<>();
          if (rows.size() <= MAX_DIRTY) {
            rows.forEach(row -> minutes.add(row.getOffsetDateTime("minute").toEpochSecond()));
          }
          return minutes;
        });
  }

  /**
   * The parts of {@code [from, to)}: whole buckets, widest first, then the raw edges. A bucket
   * holding one of the {@code dirty} minutes (epoch seconds: marked by a write the roll-ups have not
   * taken in yet) is split into narrower ones, down to that minute, read raw.
   */
  static Plan plan(Instant from, Instant to, NavigableSet<Long> dirty) {
    List<Piece> rollups = new ArrayList<>();
    List<Piece> edges = new ArrayList<>();
    cover(from, to, 0, dirty, rollups, edges);
    return new Plan(rollups, edges);
  }

  /**
   * Covers {@code [from, to)} with the whole buckets of {@code Rollups.WIDTHS[level]} inside it
   * but those holding a dirty minute, and what is left with the next widths; what no clean minute
   * covers is an edge.
   */
  private static void cover(Instant from, Instant to, int level, NavigableSet<Long> dirty,
      List<Piece> rollups, List<Piece> edges) {
    if (!from.isBefore(to)) {
      return;
    }
    if (level == Rollups.WIDTHS.size()) {
      edges.add(new Piece(0, from, to));
      return;
    }
    int width = Rollups.WIDTHS.get(level);
    long first = ceil(from.getEpochSecond() + (from.getNano() == 0 ? 0 : 1), width);
    long end = Math.floorDiv(to.getEpochSecond(), width) * width;
    if (first >= end) {
      cover(from, to, level + 1, dirty, rollups, edges);
      return;
    }
    cover(from, Instant.ofEpochSecond(first), level + 1, dirty, rollups, edges);
    long run = first;
    for (long minute : dirty.subSet(first, true, end, false)) {
      long bucket = Math.floorDiv(minute, width) * width;
      if (bucket < run) {
        continue;
      }
      if (bucket > run) {
        rollups.add(new Piece(width, Instant.ofEpochSecond(run), Instant.ofEpochSecond(bucket)));
      }
      cover(Instant.ofEpochSecond(bucket), Instant.ofEpochSecond(bucket + width), level + 1, dirty,
          rollups, edges);
      run = bucket + width;
    }
    if (run < end) {
      rollups.add(new Piece(width, Instant.ofEpochSecond(run), Instant.ofEpochSecond(end)));
    }
    cover(Instant.ofEpochSecond(end), to, level + 1, dirty, rollups, edges);
  }

  private static long ceil(long seconds, int width) {
    return Math.floorDiv(seconds + width - 1, width) * width;
  }

  private static Future<RowSet<Row>> readRollups(SqlConnection conn, UUID project,
      Dimension dimension, List<Piece> pieces) {
    Integer[] widths = new Integer[pieces.size()];
    OffsetDateTime[] froms = new OffsetDateTime[pieces.size()];
    OffsetDateTime[] tos = new OffsetDateTime[pieces.size()];
    for (int i = 0; i < pieces.size(); i++) {
      widths[i] = pieces.get(i).seconds();
      froms[i] = utc(pieces.get(i).from());
      tos[i] = utc(pieces.get(i).to());
    }
    Tuple params = Tuple.tuple().addValue(project).addValue(widths).addValue(froms).addValue(tos);
    if (dimension == Dimension.MODEL) {
      return conn.preparedQuery(RollupStatsSql.MODEL_ROWS).execute(params);
    }
    return conn.preparedQuery(RollupStatsSql.TRACE_ROWS).execute(params.addValue(dimension.rollup));
  }

  private static Future<RowSet<Row>> readEdges(SqlConnection conn, UUID project,
      Dimension dimension, List<Piece> edges) {
    OffsetDateTime[] froms = new OffsetDateTime[edges.size()];
    OffsetDateTime[] tos = new OffsetDateTime[edges.size()];
    for (int i = 0; i < edges.size(); i++) {
      froms[i] = utc(edges.get(i).from());
      tos[i] = utc(edges.get(i).to());
    }
    Tuple params = Tuple.tuple().addValue(project).addValue(froms).addValue(tos);
    String sql = dimension == Dimension.MODEL ? RollupStatsSql.MODEL_EDGES
        : TRACE_EDGES.get(dimension);
    return conn.preparedQuery(sql).execute(params);
  }

  private static final Map<Dimension, String> TRACE_EDGES = traceEdges();

  private static Map<Dimension, String> traceEdges() {
    Map<Dimension, String> statements = new java.util.EnumMap<>(Dimension.class);
    for (Dimension dimension : Dimension.values()) {
      if (dimension != Dimension.MODEL) {
        statements.put(dimension, RollupStatsSql.traceEdges(dimension.column));
      }
    }
    return statements;
  }

  /** The statement reading the raw edges of a trace dimension (for plan tests). */
  static String traceEdgesSql(Dimension dimension) {
    return TRACE_EDGES.get(dimension);
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  /** The largest groups; only theirs sketches are decoded and merged. */
  private static List<Group> top(Map<String, Partial> groups, int limit) {
    Comparator<Map.Entry<String, Partial>> order = Comparator
        .comparingLong((Map.Entry<String, Partial> e) -> e.getValue().figures.count).reversed()
        .thenComparing(Map.Entry::getKey, Comparator.nullsLast(Comparator.naturalOrder()));
    return groups.entrySet().stream().sorted(order).limit(limit)
        .map(e -> new Group(e.getKey(), e.getValue().merged()))
        .toList();
  }

  /** A group's sums so far, and its sketches and bins not merged yet. */
  private static final class Partial {
    final Aggregate figures = new Aggregate();
    final List<Buffer> sketches = new ArrayList<>();
    final List<Integer[]> bins = new ArrayList<>();
    final List<Long[]> counts = new ArrayList<>();

    void add(Row row) {
      figures.add(row.getLong("count"), row.getLong("errors"), row.getLong("input_tokens"),
          row.getLong("output_tokens"), row.getDouble("cost"));
      if (row.getColumnIndex("sketches") >= 0) {
        Buffer[] stored = row.getArrayOfBuffers("sketches");
        if (stored != null) {
          sketches.addAll(List.of(stored));
        }
      } else {
        Integer[] rowBins = row.getArrayOfIntegers("bins");
        if (rowBins != null) {
          bins.add(rowBins);
          counts.add(row.getArrayOfLongs("counts"));
        }
      }
    }

    Aggregate merged() {
      for (Buffer sketch : sketches) {
        LatencySketch.mergeInto(figures.latency, sketch.getBytes());
      }
      for (int i = 0; i < bins.size(); i++) {
        LatencySketch.addBins(figures.latency, bins.get(i), counts.get(i));
      }
      return figures;
    }
  }
}
