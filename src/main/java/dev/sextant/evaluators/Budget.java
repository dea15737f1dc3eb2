package dev.sextant.evaluators;

import java.time.Duration;

/** The time one evaluation may take, counted from its start on {@link System#nanoTime()}. */
record Budget(Duration limit, long deadline) {

  static Budget startingNow(Duration limit) {
    return new Budget(limit, System.nanoTime() + limit.toNanos());
  }

  boolean exceeded() {
    return System.nanoTime() - deadline > 0;
  }

  Evaluation.TimedOut timedOut() {
    return new Evaluation.TimedOut(limit);
  }
}
