package dev.sextant.evaluators;

import static dev.sextant.evaluators.Given.evaluator;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("numeric_tolerance")
class NumericToleranceTest {

  private static Evaluator within(Object tolerance) {
    return evaluator("numeric_tolerance", new JsonObject().put("tolerance", tolerance));
  }

  @Test
  @DisplayName("passes when the difference is at most the tolerance, exactly in decimal")
  void tolerance() {
    Evaluator e = within(0.2);
    assertThat(e.evaluate(0.3, 0.1)).isEqualTo(Evaluation.PASS); // 0.3 - 0.1 is not 0.2 in binary
    assertThat(e.evaluate(0.1, 0.3)).isEqualTo(Evaluation.PASS);
    assertThat(e.evaluate(0.31, 0.1)).isEqualTo(Evaluation.FAIL);
    assertThat(within(0).evaluate(42, 42.0)).isEqualTo(Evaluation.PASS);
    assertThat(within(0).evaluate(42, 42.000001)).isEqualTo(Evaluation.FAIL);
    assertThat(within(5).evaluate(-3, 2)).isEqualTo(Evaluation.PASS);
    assertThat(within(1).evaluate(new BigInteger("12345678901234567890"),
        new BigInteger("12345678901234567891"))).isEqualTo(Evaluation.PASS);
  }

  @Test
  @DisplayName("reads numbers written as strings, trimmed: \"42\", \" 3.5 \", \"1e3\"")
  void numbersAsStrings() {
    assertThat(within(0).evaluate("42", 42)).isEqualTo(Evaluation.PASS);
    assertThat(within(0).evaluate(" 3.5 ", "3.50")).isEqualTo(Evaluation.PASS);
    assertThat(within(0).evaluate("1e3", 1000)).isEqualTo(Evaluation.PASS);
    assertThat(within(0).evaluate("\n-0.5\t", "-.5")).isEqualTo(Evaluation.PASS);
    assertThat(within(0).evaluate("+7", 7)).isEqualTo(Evaluation.PASS);
  }

  @Test
  @DisplayName("an output that is not a number scores 0")
  void outputNotANumber() {
    Evaluator e = within(1);
    for (Object output : new Object[] {"forty-two", "", "  ", "42 apples", "0x2A", "NaN",
        "Infinity", "1,000", true, new JsonObject().put("n", 42), new JsonArray().add(42), null,
        "1e1001", "1" + "0".repeat(1000)}) {
      assertThat(e.evaluate(output, 42)).as("output %s", output).isEqualTo(Evaluation.FAIL);
    }
  }

  @Test
  @DisplayName("an expected output that is absent or not a number makes it not applicable")
  void expectedNotANumber() {
    Evaluator e = within(1);
    assertThat(e.evaluate(42, null)).isInstanceOf(Evaluation.NotApplicable.class);
    assertThat(e.evaluate(42, "about 42")).isEqualTo(
        new Evaluation.NotApplicable("the item's expected_output is not a number"));
    assertThat(e.evaluate(42, false)).isInstanceOf(Evaluation.NotApplicable.class);
  }

  @Test
  @DisplayName("huge exponents are refused before any arithmetic, which would need their digits")
  void hugeExponents() {
    Evaluator e = within(1);
    assertThat(e.evaluate("1e999999999", 1)).isEqualTo(Evaluation.FAIL);
    assertThat(e.evaluate("1e-999999999", 0)).isEqualTo(Evaluation.FAIL);
    assertThat(e.evaluate(1, "1e-999999999")).isInstanceOf(Evaluation.NotApplicable.class);
    assertThat(e.evaluate("1e1000", "1e1000")).isEqualTo(Evaluation.PASS);
  }
}
