package dev.sextant.evaluators;

/** Text cut and counted in Unicode code points, as people count characters: an emoji is one. */
final class Texts {

  private Texts() {}

  /** The first {@code max} code points of {@code text}, never half of a surrogate pair. */
  static String prefix(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = text.offsetByCodePoints(0, Math.min(max, text.codePointCount(0, text.length())));
    return text.substring(0, end);
  }

  /** The code points of the first {@code max} of them, each boxed once. */
  static Integer[] codePoints(String text, int max) {
    return prefix(text, max).codePoints().boxed().toArray(Integer[]::new);
  }

  /** Below this length, {@link String#contains} (quadratic only in the needle's length) is used. */
  private static final int SHORT_NEEDLE = 64;

  /**
   * Whether {@code text} contains {@code needle}, in time linear in their lengths whatever they
   * hold ({@link String#contains} takes |text| × |needle| steps on {@code aaa…} against
   * {@code aa…ab}): Knuth–Morris–Pratt for a long needle. Comparing UTF-16 units finds exactly
   * the code point matches, since no unit of a surrogate pair is a character of its own.
   */
  static boolean contains(String text, String needle) {
    if (needle.length() < SHORT_NEEDLE || needle.length() > text.length()) {
      return text.contains(needle);
    }
    int[] border = new int[needle.length()];
    for (int i = 1, k = 0; i < needle.length(); i++) {
      while (k > 0 && needle.charAt(i) != needle.charAt(k)) {
        k = border[k - 1];
      }
      if (needle.charAt(i) == needle.charAt(k)) {
        k++;
      }
      border[i] = k;
    }
    for (int i = 0, k = 0; i < text.length(); i++) {
      while (k > 0 && text.charAt(i) != needle.charAt(k)) {
        k = border[k - 1];
      }
      if (text.charAt(i) == needle.charAt(k) && ++k == needle.length()) {
        return true;
      }
    }
    return false;
  }
}
