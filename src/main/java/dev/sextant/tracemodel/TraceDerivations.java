package dev.sextant.tracemodel;

/**
 * The derived fields of the trace tables, defined once: the statements that write them (ingest),
 * read them (the trace list, detail and stats) and, later, roll them up or age them out are built
 * from these fragments, and {@link SpanTotals} is their mirror in Java for the traces a batch
 * creates.
 *
 * <p>A trace row carries aggregates of its spans ({@code span_count}, {@code span_errors},
 * {@code input_tokens}, {@code output_tokens}, {@code total_cost}, {@code span_start},
 * {@code span_end}), recomputed in the transaction that writes them, and two fields of its own
 * derived from them: {@code sort_time}, the start the list is ordered by, and {@code is_error}.
 * Reads show the trace's own start and end when it has them, else its spans' bounds, and the
 * latency between the two.
 *
 * <p>Each fragment is fixed text over the column expressions its caller names (such as
 * {@code "s.status"} or {@code "t.created_at"}), which are themselves constants of the caller's
 * statement, never input. The generated column {@code spans.duration_ms} (V4) computes a span's
 * duration as {@link #LATENCY_MS_DOUBLE} does a trace's; a migration cannot use these constants.
 */
public final class TraceDerivations {

  private TraceDerivations() {}

  /**
   * The largest bigint: token sums stop there rather than fail (a span may count up to 2^53
   * tokens, so the sum overflows after 1 024 spans).
   */
  public static final String MAX_BIGINT = "9223372036854775807";

  /** The trace's start as read: its own, else its first span's. */
  public static final String START_TIME = "COALESCE(start_time, span_start)";

  /** The trace's end as read: its own, else its spans' last end. */
  public static final String END_TIME = "COALESCE(end_time, span_end)";

  /**
   * The trace's latency in milliseconds, {@link #END_TIME} − {@link #START_TIME}, in numeric. A
   * negative one (an end before the start, which two writes can combine into) reads as none.
   */
  public static final String LATENCY_MS =
      "EXTRACT(EPOCH FROM (" + END_TIME + " - " + START_TIME + ")) * 1000";

  /**
   * The same duration as a double, for aggregates: {@code date_part} stays in floating point, where
   * {@code EXTRACT} computes in numeric, which took 40% of a stats query over a million rows.
   */
  public static final String LATENCY_MS_DOUBLE =
      "date_part('epoch', " + END_TIME + " - " + START_TIME + ") * 1000";

  /** A span's latency in milliseconds, in numeric, over the unqualified columns of {@code spans}. */
  public static final String SPAN_LATENCY_MS = "EXTRACT(EPOCH FROM (end_time - start_time)) * 1000";

  /**
   * The aggregates of a trace's spans, as a select list naming each after its trace column
   * ({@code span_count}, …, {@code span_end}); {@code span} is the alias of {@code spans}, whose
   * rows are left-joined to the trace ids (a trace without spans counts none).
   */
  public static String spanAggregates(String span) {
    return "count(" + span + ".id)::int AS span_count, "
        + "(count(*) FILTER (WHERE " + spanFailed(span + ".status") + "))::int AS span_errors, "
        + tokenSum(span + ".input_tokens") + " AS input_tokens, "
        + tokenSum(span + ".output_tokens") + " AS output_tokens, "
        + costSum(span + ".cost_usd") + " AS total_cost, "
        + "min(" + span + ".start_time) AS span_start, "
        + "max(COALESCE(" + span + ".end_time, " + span + ".start_time)) AS span_end";
  }

  /** Whether a span failed: its status is {@code 'error'} (a null status reads as ok). */
  public static String spanFailed(String status) {
    return status + " = 'error'";
  }

  /** A sum of token counts, 0 over no row, stopping at {@link #MAX_BIGINT}. */
  public static String tokenSum(String tokens) {
    return "LEAST(COALESCE(sum(" + tokens + "), 0), " + MAX_BIGINT + ")::bigint";
  }

  /** A sum of costs, 0 over no row. */
  public static String costSum(String cost) {
    return "COALESCE(sum(" + cost + "), 0)";
  }

  /**
   * {@code sort_time}: the trace's own start, else its first span's, else its arrival
   * ({@code created_at}, which is {@code now()} for a row being inserted).
   */
  public static String sortTime(String startTime, String spanStart, String arrival) {
    return "COALESCE(" + startTime + ", " + spanStart + ", " + arrival + ")";
  }

  /** {@code is_error}: the trace was sent as failed, or one of its spans failed. */
  public static String isError(String status, String spanErrors) {
    return "(" + status + " IS NOT DISTINCT FROM 'error' OR " + spanErrors + " > 0)";
  }
}
