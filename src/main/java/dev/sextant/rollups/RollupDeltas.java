package dev.sextant.rollups;

import static dev.sextant.tracemodel.TraceDerivations.LATENCY_MS_DOUBLE;

import dev.sextant.tracemodel.RollupMarks;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The roll-up deltas ({@code rollup_trace_deltas}, {@code rollup_span_deltas}) of one batch: what
 * it adds to the roll-ups when it only adds, one row per minute and group, binned as a recompute
 * bins ({@link Rollups#TRACE_BINS}, {@link Rollups#SPAN_BINS}), so that the roll-up job adds them
 * in without reading a minute's raw rows again.
 *
 * <p>Only traces the writing transaction created qualify: their rows and every span of theirs are
 * new, so their figures add to what is folded already. Writes that change or delete stored rows
 * mark their minutes instead ({@link RollupMarks}). No lock is needed: a delta commits with the
 * rows it describes, and the job reads both in one snapshot.
 *
 * <p>The deltas are counted here, from the rows the batch writes, rather than by a statement that
 * reads the batch's rows back and bins them: that statement cost ingest 6-18 % of its requests/s
 * (docs/performance.md). A trace is counted from the row its insert returns ({@link #TRACE_COLUMNS}:
 * its sort time may be the database's clock); a span from the values sent, read as PostgreSQL
 * stores them ({@link #storedMicros}) and as its {@code duration_ms} and {@code date_bin} compute.
 */
public final class RollupDeltas {

  /** The trace columns {@link #addTrace} reads, for the {@code RETURNING} of the insert. */
  public static final String TRACE_COLUMNS = "sort_time, name, user_id, release, is_error, "
      + "input_tokens, output_tokens, total_cost, " + LATENCY_MS_DOUBLE + " AS latency";

  /** Writes the deltas of {@link #params}: traces {@code $2}..{@code $12}, spans the rest. */
  public static final String INSERT = """
      WITH trace_deltas AS (
        INSERT INTO rollup_trace_deltas (project_id, minute, name, user_id, release, count, errors,
                                         input_tokens, output_tokens, cost, bins, counts)
        SELECT $1, r.minute, r.name, r.user_id, r.release, r.count, r.errors, r.input_tokens,
               r.output_tokens, r.cost, r.bins::int[], r.counts::bigint[]
          FROM unnest($2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::bigint[],
                      $7::bigint[], $8::bigint[], $9::bigint[], $10::float8[], $11::text[],
                      $12::text[])
               AS r(minute, name, user_id, release, count, errors, input_tokens, output_tokens,
                    cost, bins, counts))
      INSERT INTO rollup_span_deltas (project_id, minute, model, count, errors, input_tokens,
                                      output_tokens, cost, bins, counts)
      SELECT $1, r.minute, r.model, r.count, r.errors, r.input_tokens, r.output_tokens, r.cost,
             r.bins::int[], r.counts::bigint[]
        FROM unnest($13::timestamptz[], $14::text[], $15::bigint[], $16::bigint[], $17::bigint[],
                    $18::bigint[], $19::float8[], $20::text[], $21::text[])
             AS r(minute, model, count, errors, input_tokens, output_tokens, cost, bins, counts)""";

  /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in Unix seconds. */
  private static final long PG_EPOCH_SECOND = 946_684_800L;
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  private record TraceGroup(long minute, String name, String userId, String release) {}

  private record SpanGroup(long minute, String model) {}

  private final Map<TraceGroup, Sums> traces = new LinkedHashMap<>();
  private final Map<SpanGroup, Sums> spans = new LinkedHashMap<>();

  /** Counts a created trace, from its row as inserted ({@link #TRACE_COLUMNS}). */
  public void addTrace(Row row) {
    long minute = minuteOf(storedMicros(row.getOffsetDateTime("sort_time")));
    Double latency = row.getDouble("latency");
    traces.computeIfAbsent(new TraceGroup(minute, row.getString("name"), row.getString("user_id"),
            row.getString("release")), g -> new Sums())
        .add(row.getBoolean("is_error"), row.getLong("input_tokens"), row.getLong("output_tokens"),
            row.getDouble("total_cost"), latency == null ? null : LatencySketch.bin(latency));
  }

  /** Counts a span of a created trace, from the values sent; one without a start is in no minute. */
  public void addSpan(OffsetDateTime start, OffsetDateTime end, String model, boolean failed,
      Long inputTokens, Long outputTokens, Double cost) {
    if (start == null) {
      return;
    }
    long startMicros = storedMicros(start);
    Integer bin = end == null ? null : LatencySketch.bin(durationMs(startMicros, storedMicros(end)));
    spans.computeIfAbsent(new SpanGroup(minuteOf(startMicros), model), g -> new Sums())
        .add(failed, inputTokens == null ? 0 : inputTokens, outputTokens == null ? 0 : outputTokens,
            cost == null ? 0 : cost, bin);
  }

  public boolean isEmpty() {
    return traces.isEmpty() && spans.isEmpty();
  }

  /** The parameters of {@link #INSERT} for project {@code projectId}. */
  public Tuple params(UUID projectId) {
    Tuple tuple = Tuple.tuple().addValue(projectId);
    int n = traces.size();
    OffsetDateTime[] minutes = new OffsetDateTime[n];
    String[] names = new String[n];
    String[] userIds = new String[n];
    String[] releases = new String[n];
    int i = 0;
    for (TraceGroup group : traces.keySet()) {
      minutes[i] = minute(group.minute());
      names[i] = group.name();
      userIds[i] = group.userId();
      releases[i++] = group.release();
    }
    tuple.addValue(minutes).addValue(names).addValue(userIds).addValue(releases);
    addSums(tuple, traces.values().toArray(Sums[]::new));
    n = spans.size();
    minutes = new OffsetDateTime[n];
    String[] models = new String[n];
    i = 0;
    for (SpanGroup group : spans.keySet()) {
      minutes[i] = minute(group.minute());
      models[i++] = group.model();
    }
    tuple.addValue(minutes).addValue(models);
    return addSums(tuple, spans.values().toArray(Sums[]::new));
  }

  private static Tuple addSums(Tuple tuple, Sums[] sums) {
    int n = sums.length;
    Long[] counts = new Long[n];
    Long[] errors = new Long[n];
    Long[] inputTokens = new Long[n];
    Long[] outputTokens = new Long[n];
    Double[] costs = new Double[n];
    String[] bins = new String[n];
    String[] binCounts = new String[n];
    for (int i = 0; i < n; i++) {
      Sums s = sums[i];
      counts[i] = s.count;
      errors[i] = s.errors;
      inputTokens[i] = s.inputTokens;
      outputTokens[i] = s.outputTokens;
      costs[i] = s.cost;
      if (!s.bins.isEmpty()) {
        bins[i] = arrayLiteral(s.bins.keySet());
        binCounts[i] = arrayLiteral(s.bins.values());
      }
    }
    return tuple.addValue(counts).addValue(errors).addValue(inputTokens).addValue(outputTokens)
        .addValue(costs).addValue(bins).addValue(binCounts);
  }

  private static String arrayLiteral(Iterable<? extends Number> values) {
    StringBuilder text = new StringBuilder("{");
    for (Number value : values) {
      text.append(text.length() > 1 ? "," : "").append(value);
    }
    return text.append('}').toString();
  }

  /**
   * The microseconds since 2000-01-01 that PostgreSQL stores for {@code time} as the client sends
   * it: Vert.x's binary encoding counts whole microseconds towards that day, dropping the rest.
   */
  static long storedMicros(OffsetDateTime time) {
    long seconds = time.toEpochSecond() - PG_EPOCH_SECOND;
    int nanos = time.getNano();
    long micros = seconds * 1_000_000 + nanos / 1_000;
    // before 2000 the whole microseconds towards it are one more than those from the second before
    return seconds < 0 && nanos % 1_000 != 0 ? micros + 1 : micros;
  }

  /**
   * {@code date_part('epoch', end - start) * 1000} as PostgreSQL computes it ({@code duration_ms}):
   * the difference in whole days and the microseconds left, each turned into seconds apart.
   */
  static double durationMs(long startMicros, long endMicros) {
    long difference = endMicros - startMicros;
    long days = difference / MICROS_PER_DAY;
    double seconds = (difference - days * MICROS_PER_DAY) / 1_000_000.0;
    seconds += 86_400.0 * days;
    return seconds * 1000;
  }

  /** {@code date_bin('1 minute', time, epoch)} in Unix seconds, for times since 1970. */
  static long minuteOf(long storedMicros) {
    long unixMicros = storedMicros + PG_EPOCH_SECOND * 1_000_000;
    return Math.floorDiv(unixMicros, 60_000_000L) * 60;
  }

  private static OffsetDateTime minute(long unixSecond) {
    return OffsetDateTime.ofInstant(Instant.ofEpochSecond(unixSecond), ZoneOffset.UTC);
  }

  /**
   * One group's figures, summed as {@link Rollups#BINNED_SUMS} sums them (token sums stop at the
   * largest bigint, as its {@code LEAST(sum, MAX_BIGINT)} does), its latency bins counted apart.
   */
  private static final class Sums {
    long count;
    long errors;
    long inputTokens;
    long outputTokens;
    double cost;
    final Map<Integer, Long> bins = new TreeMap<>();

    void add(boolean error, long input, long output, double cost, Integer bin) {
      count++;
      errors += error ? 1 : 0;
      inputTokens = Aggregate.saturatedAdd(inputTokens, input);
      outputTokens = Aggregate.saturatedAdd(outputTokens, output);
      this.cost += cost;
      if (bin != null) {
        bins.merge(bin, 1L, Long::sum);
      }
    }
  }
}
