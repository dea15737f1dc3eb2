package dev.sextant.traces;

/**
 * One group of the stats. The percentiles of latency are null when no trace of the group has a
 * duration; the token sums stop at the largest bigint.
 */
record TraceStats(String key, long traceCount, long errorCount, Double p50, Double p95, Double p99,
    long inputTokens, long outputTokens, double totalCost) {

  /** The one group of {@code group_by=none} over no trace at all. */
  static final TraceStats NONE = new TraceStats(null, 0, 0, null, null, null, 0, 0, 0.0);

  double errorRate() {
    return traceCount == 0 ? 0.0 : (double) errorCount / traceCount;
  }
}
