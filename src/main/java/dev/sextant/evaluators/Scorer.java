package dev.sextant.evaluators;

/**
 * How one evaluator type judges a result's output against its item's expected output. The output
 * and the expected output are JSON values as Vert.x decodes them, null when absent or JSON null.
 */
sealed interface Scorer
    permits ExactMatch, Contains, RegexFind, JsonValid, NumericTolerance, LevenshteinSimilarity {

  Evaluation NO_EXPECTED = new Evaluation.NotApplicable("the item has no expected_output");

  /**
   * Judges {@code output} against {@code expected}; work that can run long stops once
   * {@code budget} is spent and answers {@link Evaluation.TimedOut}.
   */
  Evaluation score(Object output, Object expected, Budget budget);
}
