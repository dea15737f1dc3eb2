package dev.sextant.evaluators;

import java.util.regex.Pattern;

/**
 * 1 when the pattern is found somewhere in the text of the output ({@link java.util.regex.Matcher#find},
 * no flags). A pattern that backtracks catastrophically cannot hold a worker: only the first
 * {@link #MAX_INPUT} code points of the output are searched, and the search stops once the
 * evaluation's budget is spent ({@link Evaluation.TimedOut}).
 */
final class RegexFind implements Scorer {

  /** The output's text is searched up to this many code points. */
  static final int MAX_INPUT = 100_000;

  private final Pattern pattern;

  RegexFind(Pattern pattern) {
    this.pattern = pattern;
  }

  @Override
  public Evaluation score(Object output, Object expected, Budget budget) {
    if (output == null) {
      return Evaluation.FAIL;
    }
    CharSequence text = new DeadlineCharSequence(Texts.prefix(JsonValues.text(output), MAX_INPUT), budget);
    try {
      return Evaluation.of(pattern.matcher(text).find());
    } catch (DeadlineCharSequence.Expired e) {
      return budget.timedOut();
    } catch (StackOverflowError e) {
      // java.util.regex recurses once per repetition of some constructs, e.g. (a|b)* on long text
      return new Evaluation.NotApplicable(
          "the pattern recursed too deeply on this output for java.util.regex");
    }
  }
}
