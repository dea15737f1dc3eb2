package dev.sextant.rollups;

import static dev.sextant.tracemodel.TraceDerivations.MAX_BIGINT;
import static dev.sextant.tracemodel.TraceDerivations.spanFailed;

import java.util.List;

/**
 * The shape of the roll-up tables ({@code rollup_traces}, {@code rollup_models}), shared by the
 * job that keeps them (dashboard) and their readers (dashboard, trace stats).
 *
 * <p>Rows come in three widths: minutes, recomputed from the raw rows; hours, folded from their
 * minute rows; UTC days, folded from their hour rows. A trace row belongs to one dimension:
 * {@code all} (the bucket's totals, key null) or one value of the trace's {@code name},
 * {@code user_id} or {@code release} (key null: traces without one).
 *
 * <p>The job that recomputes minutes from raw rows and the stats read of the raw edges count
 * alike: they bin raw rows with {@link #TRACE_BINS} or {@link #SPAN_BINS} and sum the binned rows
 * with {@link #BINNED_SUMS}.
 */
public final class Rollups {

  private Rollups() {}

  public static final int MINUTE = 60;
  public static final int HOUR = 3_600;
  public static final int DAY = 86_400;
  /** The widths, widest first. */
  public static final List<Integer> WIDTHS = List.of(DAY, HOUR, MINUTE);

  public static final String ALL = "all";
  public static final String NAME = "name";
  public static final String USER_ID = "user_id";
  public static final String RELEASE = "release";
  /** Every dimension of {@code rollup_traces}. */
  public static final List<String> TRACE_DIMENSIONS = List.of(ALL, NAME, USER_ID, RELEASE);
  /** {@link #TRACE_DIMENSIONS} as an SQL text array literal. */
  public static final String TRACE_DIMENSIONS_ARRAY = "{" + String.join(",", TRACE_DIMENSIONS) + "}";

  /**
   * A select list over raw traces {@code t} ({@code t.latency}: the trace's latency in ms), to
   * group by its first column: the latency bin ({@link LatencySketch#binOf}), then the rows
   * {@code n}, errors, tokens and cost.
   */
  public static final String TRACE_BINS = """
      %s AS bin, count(*) AS n, count(*) FILTER (WHERE t.is_error) AS errors,
      sum(t.input_tokens) AS input_tokens, sum(t.output_tokens) AS output_tokens,
      sum(t.total_cost) AS cost""".formatted(LatencySketch.binOf("t.latency"));

  /** {@link #TRACE_BINS} over raw spans {@code s}, binned by {@code s.duration_ms}. */
  public static final String SPAN_BINS = """
      %s AS bin, count(*) AS n, count(*) FILTER (WHERE %s) AS errors,
      COALESCE(sum(s.input_tokens), 0) AS input_tokens,
      COALESCE(sum(s.output_tokens), 0) AS output_tokens,
      COALESCE(sum(s.cost_usd), 0) AS cost""".formatted(LatencySketch.binOf("s.duration_ms"),
      spanFailed("s.status"));

  /**
   * A select list summing, by group, binned rows ({@link #TRACE_BINS}, {@link #SPAN_BINS}): count,
   * errors, tokens (stopping at the largest bigint), cost, and the group's bins with their counts.
   */
  public static final String BINNED_SUMS = """
      sum(n)::bigint AS count, sum(errors)::bigint AS errors,
      LEAST(sum(input_tokens), %1$s)::bigint AS input_tokens,
      LEAST(sum(output_tokens), %1$s)::bigint AS output_tokens,
      sum(cost)::float8 AS cost,
      array_agg(bin) FILTER (WHERE bin IS NOT NULL) AS bins,
      array_agg(n) FILTER (WHERE bin IS NOT NULL) AS counts""".formatted(MAX_BIGINT);
}
