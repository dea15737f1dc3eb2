package dev.sextant.dashboard;

import com.datadoghq.sketch.ddsketch.DDSketch;

/**
 * The figures of one roll-up group (a bucket's totals, a trace name's or a model's), summed as
 * rows are folded in. Token sums stop at the largest long, as the traces' own do.
 */
final class Aggregate {

  long count;
  long errors;
  long inputTokens;
  long outputTokens;
  double cost;
  final DDSketch latency = LatencySketch.empty();

  void add(long count, long errors, long inputTokens, long outputTokens, double cost) {
    this.count += count;
    this.errors += errors;
    this.inputTokens = saturatedAdd(this.inputTokens, inputTokens);
    this.outputTokens = saturatedAdd(this.outputTokens, outputTokens);
    this.cost += cost;
  }

  void add(Aggregate other) {
    add(other.count, other.errors, other.inputTokens, other.outputTokens, other.cost);
    latency.mergeWith(other.latency);
  }

  Double p50() {
    return LatencySketch.quantile(latency, 0.5);
  }

  Double p95() {
    return LatencySketch.quantile(latency, 0.95);
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
