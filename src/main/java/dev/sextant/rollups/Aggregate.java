package dev.sextant.rollups;

import com.datadoghq.sketch.ddsketch.DDSketch;

/**
 * The figures of one roll-up group (a bucket's totals, a trace name's, a model's, a stats group's), summed as
 * rows are folded in. Token sums stop at the largest long, as the traces' own do.
 */
public final class Aggregate {

  public long count;
  public long errors;
  public long inputTokens;
  public long outputTokens;
  public double cost;
  public final DDSketch latency = LatencySketch.empty();

  public void add(long count, long errors, long inputTokens, long outputTokens, double cost) {
    this.count += count;
    this.errors += errors;
    this.inputTokens = saturatedAdd(this.inputTokens, inputTokens);
    this.outputTokens = saturatedAdd(this.outputTokens, outputTokens);
    this.cost += cost;
  }

  public void add(Aggregate other) {
    add(other.count, other.errors, other.inputTokens, other.outputTokens, other.cost);
    latency.mergeWith(other.latency);
  }

  public Double p50() {
    return LatencySketch.quantile(latency, 0.5);
  }

  public Double p95() {
    return LatencySketch.quantile(latency, 0.95);
  }

  public Double p99() {
    return LatencySketch.quantile(latency, 0.99);
  }

  /** {@code a + b}, stopping at the largest long (token sums). */
  static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
