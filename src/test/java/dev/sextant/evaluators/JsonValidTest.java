package dev.sextant.evaluators;

import static dev.sextant.evaluators.Given.evaluator;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("json_valid")
class JsonValidTest {

  private static final Evaluator JSON_VALID = evaluator("json_valid");

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"{}", "[]", "{\"a\": [1, 2.5e3, true, null, \"😀\"]}", " {\"a\":1}\n",
      "42", "-0.5", "\"text\"", "true", "null", "[[[[[]]]]]", "{\"k\":\"\\u00e9\\n\"}"})
  @DisplayName("a string that parses as one JSON value scores 1")
  void valid(String output) {
    assertThat(JSON_VALID.evaluate(output, null)).isEqualTo(Evaluation.PASS);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"", "   ", "{", "{\"a\":1}}", "{\"a\":1} trailing", "{\"a\":1}{\"b\":2}",
      "[1, 2,]", "{'a': 1}", "{a: 1}", "NaN", "01", "{\"a\":1 // comment\n}", "plain text",
      "\"unterminated", "{\"a\":\"tab\tinside\"}", "{\"a\":\"\\q\"}", "True", "[1] [2]"})
  @DisplayName("a string that is not exactly one JSON value scores 0")
  void invalid(String output) {
    assertThat(JSON_VALID.evaluate(output, null)).isEqualTo(Evaluation.FAIL);
  }

  @Test
  @DisplayName("an output that already is JSON scores 1; a missing one 0; the expected output is ignored")
  void values() {
    assertThat(JSON_VALID.evaluate(new JsonObject().put("a", 1), null)).isEqualTo(Evaluation.PASS);
    assertThat(JSON_VALID.evaluate(new JsonArray(), null)).isEqualTo(Evaluation.PASS);
    assertThat(JSON_VALID.evaluate(3.5, null)).isEqualTo(Evaluation.PASS);
    assertThat(JSON_VALID.evaluate(false, null)).isEqualTo(Evaluation.PASS);
    assertThat(JSON_VALID.evaluate(null, null)).isEqualTo(Evaluation.FAIL);
    assertThat(JSON_VALID.evaluate("{}", "not json at all")).isEqualTo(Evaluation.PASS);
  }

  @Test
  @DisplayName("nesting past Jackson's limit of 1000 counts as invalid, without a stack overflow")
  void deepNesting() {
    assertThat(JSON_VALID.evaluate("[".repeat(1000) + "]".repeat(1000), null)).isEqualTo(Evaluation.PASS);
    assertThat(JSON_VALID.evaluate("[".repeat(100_000) + "]".repeat(100_000), null))
        .isEqualTo(Evaluation.FAIL);
  }

  @Test
  @DisplayName("a number of more than 1000 digits counts as invalid (Jackson's limit)")
  void longNumber() {
    assertThat(JSON_VALID.evaluate("1".repeat(1000), null)).isEqualTo(Evaluation.PASS);
    assertThat(JSON_VALID.evaluate("[" + "1".repeat(1001) + "]", null)).isEqualTo(Evaluation.FAIL);
  }
}
