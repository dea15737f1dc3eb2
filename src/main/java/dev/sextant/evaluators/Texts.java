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
}
