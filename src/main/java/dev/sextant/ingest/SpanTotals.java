package dev.sextant.ingest;

import dev.sextant.ingest.Writes.SpanWrite;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The derived fields of a trace as its spans in one batch make them, computed the way
 * {@link IngestSql#RECOMPUTE_TRACES} computes them from the stored spans. A trace created by the
 * batch is inserted with these, so for it the recompute finds nothing to change and writes
 * nothing: each new trace row is written once, not twice through every trace index.
 */
record SpanTotals(int count, int errors, long inputTokens, long outputTokens, double cost,
    OffsetDateTime start, OffsetDateTime end) {

  static final SpanTotals NONE = new SpanTotals(0, 0, 0, 0, 0, null, null);

  /** Totals per trace id. Costs are summed in span id order, as PostgreSQL reads them back. */
  static Map<String, SpanTotals> byTrace(Collection<SpanWrite> spans) {
    List<SpanWrite> ordered = spans.stream()
        .sorted(Comparator.comparing(SpanWrite::traceId).thenComparing(SpanWrite::id))
        .toList();
    Map<String, SpanTotals> totals = new HashMap<>();
    for (SpanWrite span : ordered) {
      totals.merge(span.traceId(), of(span), SpanTotals::plus);
    }
    return totals;
  }

  private static SpanTotals of(SpanWrite span) {
    OffsetDateTime end = span.endTime() != null ? span.endTime() : span.startTime();
    return new SpanTotals(1, "error".equals(span.status()) ? 1 : 0,
        span.inputTokens() == null ? 0 : span.inputTokens(),
        span.outputTokens() == null ? 0 : span.outputTokens(),
        span.costUsd() == null ? 0 : span.costUsd(),
        span.startTime(), end);
  }

  /** No overflow: a batch holds at most 1 000 spans of at most 2^53 tokens each. */
  private SpanTotals plus(SpanTotals next) {
    return new SpanTotals(count + next.count, errors + next.errors,
        inputTokens + next.inputTokens, outputTokens + next.outputTokens, cost + next.cost,
        earlier(start, next.start), later(end, next.end));
  }

  private static OffsetDateTime earlier(OffsetDateTime a, OffsetDateTime b) {
    return a == null ? b : b == null || a.isBefore(b) ? a : b;
  }

  private static OffsetDateTime later(OffsetDateTime a, OffsetDateTime b) {
    return a == null ? b : b == null || a.isAfter(b) ? a : b;
  }
}
