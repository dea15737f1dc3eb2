package dev.sextant.validation;

/**
 * A JSON object or array kept as the text the client sent, for a field stored as it is (the
 * {@link Validator} takes it where it takes any JSON). {@code problem} says why PostgreSQL's jsonb
 * could not hold it (a NUL character anywhere, or a number too large for a double), null when it
 * can.
 */
public record RawJson(String text, String problem) {

  /** The text of an object or array {@code depth} levels deep, whose numbers were finite or not. */
  public static RawJson of(String text, int depth, boolean finiteNumbers) {
    String problem = depth > Validator.MAX_NESTING ? Validator.TOO_DEEP
        : !finiteNumbers ? Validator.NOT_FINITE
        : escapesNul(text) ? Validator.NUL
        : null;
    return new RawJson(text, problem);
  }

  public boolean isObject() {
    return text.charAt(0) == '{';
  }

  /**
   * Whether JSON text holds the escape of NUL, a backslash then {@code u0000} (in valid JSON a NUL
   * can appear no other way), preceded by an even number of backslashes: an escaped backslash
   * followed by the letters u0000 does not count.
   */
  public static boolean escapesNul(String json) {
    for (int i = json.indexOf("\\u0000"); i >= 0; i = json.indexOf("\\u0000", i + 1)) {
      int backslashes = 0;
      for (int j = i - 1; j >= 0 && json.charAt(j) == '\\'; j--) {
        backslashes++;
      }
      if (backslashes % 2 == 0) {
        return true;
      }
    }
    return false;
  }
}
