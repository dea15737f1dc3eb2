package dev.sextant.evaluators;

import java.math.BigDecimal;

/**
 * 1 when output and expected output, read as exact decimal numbers (JSON numbers or strings
 * holding one, see {@link JsonValues#number}), differ by at most the tolerance.
 */
final class NumericTolerance implements Scorer {

  private final BigDecimal tolerance;

  NumericTolerance(BigDecimal tolerance) {
    this.tolerance = tolerance;
  }

  @Override
  public Evaluation score(Object output, Object expected, Budget budget) {
    if (expected == null) {
      return NO_EXPECTED;
    }
    BigDecimal want = JsonValues.number(expected);
    if (want == null) {
      return new Evaluation.NotApplicable("the item's expected_output is not a number");
    }
    BigDecimal got = JsonValues.number(output);
    return Evaluation.of(got != null && got.subtract(want).abs().compareTo(tolerance) <= 0);
  }
}
