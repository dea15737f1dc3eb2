package dev.sextant.tracemodel;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregates of a trace's spans ({@link TraceDerivations#spanAggregates}) computed in Java
 * over the spans of one batch. A trace created by the batch is inserted with these, so the
 * recompute that follows the spans' write finds nothing to change for it and writes nothing: each
 * new trace row is written once, not twice through every trace index.
 */
public record SpanTotals(int count, int errors, long inputTokens, long outputTokens, double cost,
    OffsetDateTime start, OffsetDateTime end) {

  /** The fields of a span the aggregates read; a null one was not sent. */
  public interface Span {
    String traceId();

    String id();

    String status();

    Long inputTokens();

    Long outputTokens();

    Double costUsd();

    OffsetDateTime startTime();

    OffsetDateTime endTime();
  }

  /** The aggregates of no span. */
  public static final SpanTotals NONE = new SpanTotals(0, 0, 0, 0, 0, null, null);

  /**
   * Totals per trace id. Costs are summed in span id order, as PostgreSQL reads them back. No
   * token sum overflows here, unlike in SQL: a batch holds at most 1 000 spans of at most 2^53
   * tokens each.
   */
  public static Map<String, SpanTotals> byTrace(Collection<? extends Span> spans) {
    List<? extends Span> ordered = spans.stream()
        .sorted(Comparator.comparing(Span::traceId).thenComparing(Span::id))
        .toList();
    Map<String, SpanTotals> totals = new HashMap<>();
    for (Span span : ordered) {
      totals.merge(span.traceId(), of(span), SpanTotals::plus);
    }
    return totals;
  }

  private static SpanTotals of(Span span) {
    OffsetDateTime end = span.endTime() != null ? span.endTime() : span.startTime();
    return new SpanTotals(1, failed(span.status()) ? 1 : 0,
        span.inputTokens() == null ? 0 : span.inputTokens(),
        span.outputTokens() == null ? 0 : span.outputTokens(),
        span.costUsd() == null ? 0 : span.costUsd(),
        span.startTime(), end);
  }

  /** A span with this status failed ({@link TraceDerivations#spanFailed}). */
  public static boolean failed(String status) {
    return "error".equals(status);
  }

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
