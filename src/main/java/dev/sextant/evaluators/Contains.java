package dev.sextant.evaluators;

/** 1 when the text of the output contains the text of the expected output (linear time). */
final class Contains implements Scorer {

  @Override
  public Evaluation score(Object output, Object expected, Budget budget) {
    if (expected == null) {
      return NO_EXPECTED;
    }
    return Evaluation.of(output != null
        && Texts.contains(JsonValues.text(output), JsonValues.text(expected)));
  }
}
