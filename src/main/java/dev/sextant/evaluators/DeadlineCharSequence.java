package dev.sextant.evaluators;

/**
 * Text that stops the reader once a budget is spent: every so many reads, {@link #charAt} checks
 * the clock and throws {@link Expired}. A regular expression reads a character at each step of its
 * search, backtracking included, so no pattern can search it for longer than the budget (plus the
 * few microseconds between two checks).
 */
final class DeadlineCharSequence implements CharSequence {

  /** The clock is read once every this many reads (a power of two): about every 10 µs. */
  private static final int CHECK_EVERY = 1 << 10;

  /** The budget was spent; carries no stack trace. */
  static final class Expired extends RuntimeException {
    Expired() {
      super("evaluation budget spent", null, false, false);
    }
  }

  private final CharSequence text;
  private final Budget budget;
  private int reads;

  DeadlineCharSequence(CharSequence text, Budget budget) {
    this.text = text;
    this.budget = budget;
  }

  @Override
  public char charAt(int index) {
    if ((++reads & (CHECK_EVERY - 1)) == 0 && budget.exceeded()) {
      throw new Expired();
    }
    return text.charAt(index);
  }

  @Override
  public int length() {
    return text.length();
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return new DeadlineCharSequence(text.subSequence(start, end), budget);
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
