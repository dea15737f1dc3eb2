package dev.sextant.evaluators;

/** 1 when the output equals the expected output as JSON values (see {@link JsonValues#equal}). */
final class ExactMatch implements Scorer {

  @Override
  public Evaluation score(Object output, Object expected, Budget budget) {
    if (expected == null) {
      return NO_EXPECTED;
    }
    return Evaluation.of(output != null && JsonValues.equal(output, expected));
  }
}
