package dev.sextant.evaluators;

import java.time.Duration;

/**
 * The outcome of one evaluator on one result: a {@link Score} in [0, 1], written as a score named
 * after the evaluator; {@link NotApplicable} when the evaluator cannot judge this result (say, the
 * item has no {@code expected_output}), with the reason; or {@link TimedOut} when the evaluation
 * ran past its time budget. Neither of the last two is a score.
 */
public sealed interface Evaluation {

  /** A score from 0 (fails) to 1 (passes); similarity evaluators give the values between. */
  record Score(double value) implements Evaluation {
    public Score {
      if (!(value >= 0 && value <= 1)) {
        throw new IllegalArgumentException("a score lies in [0, 1], not " + value);
      }
    }
  }

  /** The evaluator does not apply to this result, for {@code reason} (said for people). */
  record NotApplicable(String reason) implements Evaluation {}

  /** The evaluation was stopped once it had run for {@code budget}. */
  record TimedOut(Duration budget) implements Evaluation {}

  Score PASS = new Score(1);
  Score FAIL = new Score(0);

  static Score of(boolean pass) {
    return pass ? PASS : FAIL;
  }
}
