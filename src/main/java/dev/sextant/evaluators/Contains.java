package dev.sextant.evaluators;

/** 1 when the text of the output contains the text of the expected output. */
final class Contains implements Scorer {

  @Override
  public Evaluation score(Object output, Object expected, Budget budget) {
    if (expected == null) {
      return NO_EXPECTED;
    }
    return Evaluation.of(output != null
        && JsonValues.text(output).contains(JsonValues.text(expected)));
  }
}
