package dev.sextant.evaluators;

import static dev.sextant.evaluators.Given.evaluator;
import static dev.sextant.evaluators.Given.score;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("levenshtein_similarity")
class LevenshteinSimilarityTest {

  private static final Evaluator SIMILAR = evaluator("levenshtein_similarity");

  @Test
  @DisplayName("is 1 − distance / longer length")
  void similarity() {
    assertThat(SIMILAR.evaluate("kitten", "sitting")).isEqualTo(score(1 - 3.0 / 7));
    assertThat(SIMILAR.evaluate("flaw", "lawn")).isEqualTo(score(0.5));
    assertThat(SIMILAR.evaluate("same", "same")).isEqualTo(Evaluation.PASS);
    assertThat(SIMILAR.evaluate("abc", "xyz")).isEqualTo(Evaluation.FAIL);
  }

  @Test
  @DisplayName("is 1 for two empty strings and 0 between empty and non-empty")
  void empty() {
    assertThat(SIMILAR.evaluate("", "")).isEqualTo(Evaluation.PASS);
    assertThat(SIMILAR.evaluate("", "abc")).isEqualTo(Evaluation.FAIL);
    assertThat(SIMILAR.evaluate("abc", "")).isEqualTo(Evaluation.FAIL);
  }

  @Test
  @DisplayName("counts code points: an emoji is one character, not two UTF-16 units")
  void codePoints() {
    assertThat(SIMILAR.evaluate("😀", "😃")).isEqualTo(Evaluation.FAIL); // one substitution of one
    assertThat(SIMILAR.evaluate("a😀", "a😃")).isEqualTo(score(0.5));
    assertThat(SIMILAR.evaluate("東京都", "京都")).isEqualTo(score(1 - 1.0 / 3));
    // a combining mark is a code point of its own: e + U+0301 against precomposed é
    assertThat(SIMILAR.evaluate("cafe\u0301", "caf\u00e9")).isEqualTo(score(1 - 2.0 / 5));
  }

  @Test
  @DisplayName("compares other JSON values by their compact encoding; no expected output: not applicable")
  void otherValues() {
    assertThat(SIMILAR.evaluate(1234, "1235")).isEqualTo(score(0.75));
    assertThat(SIMILAR.evaluate(new JsonArray().add(1), "[1]")).isEqualTo(Evaluation.PASS);
    assertThat(SIMILAR.evaluate("x", null)).isInstanceOf(Evaluation.NotApplicable.class);
    assertThat(SIMILAR.evaluate(null, "x")).isEqualTo(Evaluation.FAIL);
  }

  @Test
  @DisplayName("compares only the first MAX_LENGTH (4 000) code points of each side")
  void bounded() {
    String common = "😀".repeat(LevenshteinSimilarity.MAX_LENGTH);
    assertThat(SIMILAR.evaluate(common + "tail one", common + "another, longer tail"))
        .isEqualTo(Evaluation.PASS);
  }
}
