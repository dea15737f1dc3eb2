package dev.sextant.rollups;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Latency sketches of the roll-ups: DDSketch (Datadog's sketches-java) with a logarithmic index
 * mapping of relative accuracy {@value #RELATIVE_ACCURACY}. Sketches merge exactly (bin counts
 * add), so the percentile of a window is read from the merge of its buckets' sketches, never from
 * their percentiles.
 *
 * <p>The bins are counted in PostgreSQL ({@link #binOf}: the same index the mapping computes,
 * {@code floor(ln(x) / ln(gamma))}) so that a bucket's raw durations never leave the database,
 * or in Java ({@link #bin}) for the rows a batch writes;
 * each bin then enters the sketch as its representative value with its count. A value whose
 * logarithm PostgreSQL and Java round to different sides of a bin edge lands in the neighbouring
 * bin, which at most doubles the error: a percentile read from a sketch is within
 * {@value #ERROR_BOUND} (relative) of the exact value at that rank.
 */
public final class LatencySketch {

  /** The mapping's relative accuracy. */
  public static final double RELATIVE_ACCURACY = 0.004;
  /** The error bound stated in docs/api.md: twice the accuracy, rounded up. */
  public static final double ERROR_BOUND = 0.01;

  private static final LogarithmicMapping MAPPING = new LogarithmicMapping(RELATIVE_ACCURACY);
  /** 1 / ln(gamma), gamma = (1 + a) / (1 - a): the mapping's multiplier. */
  private static final double MULTIPLIER =
      1 / Math.log((1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY));
  /** The bin of a zero duration (the sketch counts zeros apart). */
  public static final int ZERO_BIN = Integer.MIN_VALUE;

  private LatencySketch() {}

  /**
   * The SQL bin of a duration in milliseconds (a double expression): {@link #ZERO_BIN} for 0,
   * null for a negative or unknown one, which no sketch counts.
   */
  public static String binOf(String duration) {
    return "CASE WHEN " + duration + " > 0 THEN floor(ln(" + duration + ") * " + MULTIPLIER
        + "::float8)::int WHEN " + duration + " = 0 THEN " + ZERO_BIN + " END";
  }

  /**
   * The bin of a duration in milliseconds, as {@link #binOf} computes it in SQL; null for a
   * negative one.
   */
  public static Integer bin(double durationMs) {
    if (durationMs > 0) {
      return (int) Math.floor(Math.log(durationMs) * MULTIPLIER);
    }
    return durationMs == 0 ? ZERO_BIN : null;
  }

  public static DDSketch empty() {
    return new DDSketch(MAPPING, UnboundedSizeDenseStore::new);
  }

  /** Adds {@code counts[i]} values of bin {@code bins[i]} (as {@link #binOf} made them). */
  public static void addBins(DDSketch sketch, Integer[] bins, Long[] counts) {
    if (bins == null) {
      return;
    }
    for (int i = 0; i < bins.length; i++) {
      double value = bins[i] == ZERO_BIN ? 0 : MAPPING.value(bins[i]);
      sketch.accept(value, counts[i]);
    }
  }

  /** The sketch as stored (its mapping left out: it is always {@link #MAPPING}); null if empty. */
  public static byte[] encode(DDSketch sketch) {
    if (sketch.isEmpty()) {
      return null;
    }
    GrowingByteArrayOutput out = GrowingByteArrayOutput.withDefaultInitialCapacity();
    try {
      sketch.encode(out, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.trimmedCopy();
  }

  /** Merges a stored sketch (null: none) into {@code sketch}. */
  public static void mergeInto(DDSketch sketch, byte[] stored) {
    if (stored == null) {
      return;
    }
    try {
      sketch.mergeWith(DDSketch.decode(ByteArrayInput.wrap(stored), UnboundedSizeDenseStore::new,
          MAPPING));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value at quantile {@code q}, or null for an empty sketch. */
  public static Double quantile(DDSketch sketch, double q) {
    return sketch.isEmpty() ? null : sketch.getValueAtQuantile(q);
  }
}
