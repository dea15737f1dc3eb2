package dev.sextant.evaluators;

import static dev.sextant.evaluators.Given.evaluator;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.validation.RawJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("exact_match and contains")
class MatchEvaluatorsTest {

  private static final Evaluator EXACT = evaluator("exact_match");
  private static final Evaluator CONTAINS = evaluator("contains");

  @Test
  @DisplayName("exact_match compares strings code point by code point")
  void exactStrings() {
    assertThat(EXACT.evaluate("Paris", "Paris")).isEqualTo(Evaluation.PASS);
    assertThat(EXACT.evaluate("paris", "Paris")).isEqualTo(Evaluation.FAIL);
    assertThat(EXACT.evaluate("Paris ", "Paris")).isEqualTo(Evaluation.FAIL);
    assertThat(EXACT.evaluate("", "")).isEqualTo(Evaluation.PASS);
    assertThat(EXACT.evaluate("", "x")).isEqualTo(Evaluation.FAIL);
    assertThat(EXACT.evaluate("東京 😀", "東京 😀")).isEqualTo(Evaluation.PASS);
    // é precomposed (U+00E9) is not e + combining acute (U+0301): no normalisation
    assertThat(EXACT.evaluate("caf\u00e9", "cafe\u0301")).isEqualTo(Evaluation.FAIL);
  }

  @Test
  @DisplayName("exact_match compares numbers by value, objects by content, arrays in order")
  void exactJson() {
    assertThat(EXACT.evaluate(1, 1.0)).isEqualTo(Evaluation.PASS);
    assertThat(EXACT.evaluate(10L, new BigDecimal("1E+1"))).isEqualTo(Evaluation.PASS);
    assertThat(EXACT.evaluate(0.1, 0.10)).isEqualTo(Evaluation.PASS);
    assertThat(EXACT.evaluate(1, 2)).isEqualTo(Evaluation.FAIL);
    assertThat(EXACT.evaluate("42", 42)).isEqualTo(Evaluation.FAIL);
    assertThat(EXACT.evaluate(true, true)).isEqualTo(Evaluation.PASS);
    assertThat(EXACT.evaluate(true, "true")).isEqualTo(Evaluation.FAIL);
    JsonObject a = new JsonObject().put("x", 1).put("y", new JsonArray().add("a").add(2.0));
    JsonObject b = new JsonObject().put("y", new JsonArray().add("a").add(2)).put("x", 1.0);
    assertThat(EXACT.evaluate(a, b)).isEqualTo(Evaluation.PASS);
    assertThat(EXACT.evaluate(a, b.copy().put("z", null))).isEqualTo(Evaluation.FAIL);
    assertThat(EXACT.evaluate(new JsonArray().add(1).add(2), new JsonArray().add(2).add(1)))
        .isEqualTo(Evaluation.FAIL);
    assertThat(EXACT.evaluate(new JsonArray(), new JsonObject())).isEqualTo(Evaluation.FAIL);
  }

  @Test
  @DisplayName("values arrive in any of Vert.x's forms: parsed maps and lists, or JSON kept as sent")
  void rawForms() {
    assertThat(EXACT.evaluate(Map.of("a", List.of(1, 2)), new RawJson("{\"a\":[1,2.0]}", null)))
        .isEqualTo(Evaluation.PASS);
    assertThat(CONTAINS.evaluate(new RawJson("{\"a\": [1, 2]}", null), "[1,2]"))
        .isEqualTo(Evaluation.PASS);
  }

  @Test
  @DisplayName("contains looks for the expected text in the output's text")
  void containsText() {
    assertThat(CONTAINS.evaluate("The capital is Paris.", "Paris")).isEqualTo(Evaluation.PASS);
    assertThat(CONTAINS.evaluate("The capital is paris.", "Paris")).isEqualTo(Evaluation.FAIL);
    assertThat(CONTAINS.evaluate("anything", "")).isEqualTo(Evaluation.PASS);
    assertThat(CONTAINS.evaluate("", "")).isEqualTo(Evaluation.PASS);
    assertThat(CONTAINS.evaluate("", "a")).isEqualTo(Evaluation.FAIL);
    assertThat(CONTAINS.evaluate("答えは東京です 🗼", "東京")).isEqualTo(Evaluation.PASS);
    assertThat(CONTAINS.evaluate("👍🏽 ok", "👍🏽")).isEqualTo(Evaluation.PASS);
  }

  @Test
  @DisplayName("contains stays linear on a long repetitive output and expected output")
  void containsPathological() {
    String output = "a".repeat(1_000_000);
    assertThat(CONTAINS.evaluate(output, "a".repeat(100_000) + "b")).isEqualTo(Evaluation.FAIL);
    assertThat(CONTAINS.evaluate(output + "b", "a".repeat(100_000) + "b")).isEqualTo(Evaluation.PASS);
    assertThat(CONTAINS.evaluate("x" + "😀".repeat(100) + "y", "😀".repeat(100) + "y"))
        .isEqualTo(Evaluation.PASS);
  }

  @Test
  @DisplayName("contains compares other JSON values by their compact encoding")
  void containsJson() {
    assertThat(CONTAINS.evaluate("the answer is 42", 42)).isEqualTo(Evaluation.PASS);
    assertThat(CONTAINS.evaluate(1042, 42)).isEqualTo(Evaluation.PASS);
    assertThat(CONTAINS.evaluate(new JsonObject().put("answer", "yes").put("n", 1), "\"answer\":\"yes\""))
        .isEqualTo(Evaluation.PASS);
    assertThat(CONTAINS.evaluate(new JsonArray().add(true), true)).isEqualTo(Evaluation.PASS);
  }

  @Test
  @DisplayName("without an expected output neither applies; a missing output scores 0")
  void missingValues() {
    for (Evaluator e : List.of(EXACT, CONTAINS)) {
      assertThat(e.evaluate("x", null)).isInstanceOf(Evaluation.NotApplicable.class);
      assertThat(e.evaluate(null, "x")).isEqualTo(Evaluation.FAIL);
      assertThat(e.evaluate(null, "null")).isEqualTo(Evaluation.FAIL);
    }
  }
}
