package dev.sextant.evaluators;

import static dev.sextant.evaluators.Given.evaluator;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("regex")
class RegexEvaluatorTest {

  private static Evaluator regex(String pattern) {
    return evaluator("regex", new JsonObject().put("pattern", pattern));
  }

  @Test
  @DisplayName("passes when the pattern is found anywhere in the output, no flags")
  void find() {
    assertThat(regex("\\d{3}").evaluate("call 555-1234", null)).isEqualTo(Evaluation.PASS);
    assertThat(regex("^\\d{3}$").evaluate("call 555-1234", null)).isEqualTo(Evaluation.FAIL);
    assertThat(regex("paris").evaluate("Paris", null)).isEqualTo(Evaluation.FAIL);
    assertThat(regex("(?i)paris").evaluate("Paris", null)).isEqualTo(Evaluation.PASS);
    assertThat(regex("^$").evaluate("", null)).isEqualTo(Evaluation.PASS);
    assertThat(regex("x").evaluate("", null)).isEqualTo(Evaluation.FAIL);
  }

  @Test
  @DisplayName("matches unicode: emoji and CJK are single characters to the pattern")
  void unicode() {
    assertThat(regex("^.$").evaluate("😀", null)).isEqualTo(Evaluation.PASS);
    assertThat(regex("東京").evaluate("答えは東京です", null)).isEqualTo(Evaluation.PASS);
    assertThat(regex("\\p{IsHan}{2}").evaluate("abc 漢字", null)).isEqualTo(Evaluation.PASS);
  }

  @Test
  @DisplayName("searches other JSON values in their compact encoding; a missing output scores 0")
  void jsonOutput() {
    assertThat(regex("\"status\":\"ok\"").evaluate(new JsonObject().put("status", "ok"), null))
        .isEqualTo(Evaluation.PASS);
    assertThat(regex("^4\\d$").evaluate(42, null)).isEqualTo(Evaluation.PASS);
    assertThat(regex(".*").evaluate(null, null)).isEqualTo(Evaluation.FAIL);
  }

  @Test
  @DisplayName("needs no expected output, and ignores it")
  void noExpected() {
    assertThat(regex("a").evaluate("a", "b")).isEqualTo(Evaluation.PASS);
  }

  @Test
  @DisplayName("catastrophic backtracking comes back timed out instead of holding the worker")
  void catastrophicBacktracking() {
    Duration budget = Duration.ofMillis(20);
    // nested quantifiers: unbounded, each takes tens of seconds on 30 characters, minutes on 40
    String evil = "a".repeat(40) + "!";
    assertThat(regex("((a+)+)+c").evaluate(evil, null, budget))
        .isEqualTo(new Evaluation.TimedOut(budget));
    assertThat(regex("(.*a){30}").evaluate(evil, null, budget))
        .isEqualTo(new Evaluation.TimedOut(budget));
    // the same pattern on a benign input answers within the budget
    assertThat(regex("((a+)+)+c").evaluate("aaaac", null, budget)).isEqualTo(Evaluation.PASS);
  }

  @Test
  @DisplayName("searches only the first 100 000 code points of the output")
  void boundedInput() {
    String head = "😀".repeat(RegexFind.MAX_INPUT - 1);
    Duration ample = Duration.ofSeconds(30); // what is asserted here is the cut, not a speed
    assertThat(regex("x").evaluate(head + "x", null, ample)).isEqualTo(Evaluation.PASS);
    assertThat(regex("x").evaluate(head + "😀x", null, ample)).isEqualTo(Evaluation.FAIL);
    // the cut never leaves half of a surrogate pair
    assertThat(regex("😀$").evaluate(head + "😀😀", null, ample)).isEqualTo(Evaluation.PASS);
  }

  @Test
  @DisplayName("a pattern too deeply recursive for java.util.regex on this output does not apply")
  void stackOverflow() throws InterruptedException {
    Evaluator alternation = regex("(a|b)*c");
    AtomicReference<Evaluation> outcome = new AtomicReference<>();
    // on a thread with a small stack, so that the overflow comes whatever the JVM's defaults
    Thread small = new Thread(null,
        () -> outcome.set(alternation.evaluate("ab".repeat(50_000), null, Duration.ofSeconds(30))),
        "small-stack", 256 * 1024);
    small.start();
    small.join();
    assertThat(outcome.get()).isEqualTo(new Evaluation.NotApplicable(
        "the pattern recursed too deeply on this output for java.util.regex"));
    assertThat(alternation.evaluate("abababc", null)).isEqualTo(Evaluation.PASS);
  }
}
