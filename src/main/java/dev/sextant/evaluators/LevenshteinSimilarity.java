package dev.sextant.evaluators;

import org.apache.commons.text.similarity.LevenshteinDistance;
import org.apache.commons.text.similarity.SimilarityInput;

/**
 * 1 − distance / longer length, where distance is the Levenshtein distance (Apache Commons Text)
 * between the texts of output and expected output, counted in code points; 1 for two empty
 * texts. Each text is cut to its first {@link #MAX_LENGTH} code points, which bounds the work to
 * {@code MAX_LENGTH²} steps.
 */
final class LevenshteinSimilarity implements Scorer {

  /** Each text is compared up to this many code points. */
  static final int MAX_LENGTH = 4_000;

  private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

  @Override
  public Evaluation score(Object output, Object expected, Budget budget) {
    if (expected == null) {
      return NO_EXPECTED;
    }
    if (output == null) {
      return Evaluation.FAIL;
    }
    return new Evaluation.Score(similarity(JsonValues.text(output), JsonValues.text(expected)));
  }

  static double similarity(String a, String b) {
    Integer[] x = Texts.codePoints(a, MAX_LENGTH);
    Integer[] y = Texts.codePoints(b, MAX_LENGTH);
    int longer = Math.max(x.length, y.length);
    if (longer == 0) {
      return 1;
    }
    int distance = DISTANCE.apply(input(x), input(y));
    return 1 - (double) distance / longer;
  }

  private static SimilarityInput<Integer> input(Integer[] codePoints) {
    return new SimilarityInput<>() {
      @Override
      public Integer at(int index) {
        return codePoints[index];
      }

      @Override
      public int length() {
        return codePoints.length;
      }
    };
  }
}
