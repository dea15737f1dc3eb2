package dev.sextant.evaluators;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Properties over many generated strings (a fixed seed, so a failure repeats): the similarity and
 * the linear substring search, on text that mixes ASCII, CJK, emoji and combining marks.
 */
@DisplayName("Levenshtein similarity and substring search on generated text")
class RandomTextsTest {

  private static final int[] ALPHABET = {'a', 'b', 'c', ' ', 0x6771, 0x4EAC, 0x1F600, 0x1F44D, 0x0301};

  private final Random random = new Random(20261202);

  @Test
  @DisplayName("similarity stays in [0, 1], is symmetric, and is 1 exactly for equal strings")
  void similarity() {
    for (int i = 0; i < 2_000; i++) {
      String a = text(random.nextInt(40));
      String b = random.nextInt(4) == 0 ? new String(a) : text(random.nextInt(40));
      double ab = LevenshteinSimilarity.similarity(a, b);
      assertThat(ab).as("%s / %s", a, b).isBetween(0.0, 1.0)
          .isEqualTo(LevenshteinSimilarity.similarity(b, a));
      assertThat(ab == 1.0).as("%s / %s", a, b).isEqualTo(a.equals(b));
    }
  }

  @Test
  @DisplayName("the linear search agrees with String.contains, and finds every slice")
  void contains() {
    for (int i = 0; i < 2_000; i++) {
      String text = binary(200 + random.nextInt(200));
      String needle = binary(60 + random.nextInt(30));
      assertThat(Texts.contains(text, needle)).as("%s in %s", needle, text)
          .isEqualTo(text.contains(needle));
      int from = random.nextInt(100);
      assertThat(Texts.contains(text, text.substring(from, from + 64 + random.nextInt(36)))).isTrue();
    }
  }

  private String text(int codePoints) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < codePoints; i++) {
      s.appendCodePoint(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    return s.toString();
  }

  /** Over two letters, so that long needles do occur (the worst case of a naive search). */
  private String binary(int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append(random.nextInt(8) == 0 ? 'b' : 'a');
    }
    return s.toString();
  }
}
