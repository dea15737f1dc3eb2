package dev.sextant.validation;

import dev.sextant.common.Ids;
import dev.sextant.common.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects every field error of one input object, so a client learns all that is wrong at once;
 * {@link #validate()} then fails with a 400 naming each field. Each getter returns null when the
 * field is absent, JSON null or invalid (recording why in the last case).
 */
public final class Validator {

  /** Names (of users, projects, keys, traces…) are at most this long. */
  public static final int MAX_NAME = 512;
  /** Free text (comments, status messages) is at most this long. */
  public static final int MAX_TEXT = 16_384;

  public static final String NUL = "must not contain NUL characters";
  public static final String UNPAIRED_SURROGATE = "must be valid Unicode: it holds half of a surrogate pair";
  public static final String NOT_FINITE = "must not hold a number beyond the range of a double";
  /** A JSON value kept for a client (input, output, metadata, attributes) nests at most this deep. */
  public static final int MAX_NESTING = 64;
  public static final String TOO_DEEP = "must be nested at most " + MAX_NESTING + " levels deep";

  private final JsonObject input;
  private final String prefix;
  private final List<FieldError> errors = new ArrayList<>();

  public Validator(JsonObject input) {
    this(input, "");
  }

  /** Field names in errors are reported as {@code prefix + field}, e.g. {@code span.trace_id}. */
  public Validator(JsonObject input, String prefix) {
    this.input = input;
    this.prefix = prefix;
  }

  public String requiredString(String field, int maxLength) {
    String value = optionalString(field, maxLength);
    if (value == null && isAbsent(field)) {
      error(field, "required");
    } else if (value != null && value.isBlank()) {
      error(field, "must not be blank");
    }
    return value;
  }

  public String optionalString(String field, int maxLength) {
    Object value = scalar(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      error(field, "must be a string");
      return null;
    }
    if (longerThan(s, maxLength)) {
      error(field, "must be at most " + maxLength + " characters");
      return null;
    }
    String problem = textProblem(s);
    if (problem != null) {
      error(field, problem);
      return null;
    }
    return s;
  }

  /** A client-supplied id: {@code [A-Za-z0-9._:-]{1,128}}. */
  public String optionalClientId(String field) {
    Object value = scalar(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s) || !Ids.isValidClientId(s)) {
      error(field, "must match [A-Za-z0-9._:-]{1,128}");
      return null;
    }
    return s;
  }

  public String requiredClientId(String field) {
    String value = optionalClientId(field);
    if (isAbsent(field)) {
      error(field, "required");
    }
    return value;
  }

  /** One of {@code allowed}, or null when absent. */
  public String optionalEnum(String field, Set<String> allowed) {
    Object value = scalar(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s) || !allowed.contains(s)) {
      error(field, "must be one of " + String.join(", ", allowed.stream().sorted().toList()));
      return null;
    }
    return s;
  }

  public Integer optionalInt(String field, int min, int max) {
    Long value = optionalLong(field, min, max);
    return value == null ? null : value.intValue();
  }

  public Long optionalLong(String field, long min, long max) {
    Object value = scalar(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n) || !isWhole(n)) {
      error(field, "must be an integer");
      return null;
    }
    long v = n.longValue();
    if (v < min || v > max) {
      error(field, "must be between " + min + " and " + max);
      return null;
    }
    return v;
  }

  /** A finite number from {@code min} to {@code max}. */
  public Double optionalDouble(String field, double min, double max) {
    Object value = scalar(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      error(field, "must be a number");
      return null;
    }
    if (n.doubleValue() < min || n.doubleValue() > max) {
      error(field, "must be between " + plain(min) + " and " + plain(max));
      return null;
    }
    return n.doubleValue();
  }

  /** A bound as people write it: 1000000000 rather than 1.0E9. */
  private static String plain(double bound) {
    return BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
  }

  /** RFC 3339 with any offset, or epoch nanoseconds as a string. */
  public OffsetDateTime optionalTimestamp(String field) {
    Object value = scalar(field);
    if (value == null) {
      return null;
    }
    OffsetDateTime time = value instanceof String s ? Times.parse(s) : null;
    if (time == null) {
      error(field, "must be an RFC 3339 timestamp or epoch nanoseconds as a string");
    }
    return time;
  }

  /** An array of at most {@code maxItems} non-blank strings of at most {@code maxLength} each. */
  public List<String> optionalStringArray(String field, int maxItems, int maxLength) {
    Object value = input.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array)) {
      error(field, "must be an array of strings");
      return null;
    }
    if (array.size() > maxItems) {
      error(field, "must have at most " + maxItems + " items");
      return null;
    }
    List<String> result = new ArrayList<>(array.size());
    for (Object item : array) {
      if (!(item instanceof String s) || s.isBlank() || longerThan(s, maxLength)) {
        error(field, "must hold non-blank strings of at most " + maxLength + " characters");
        return null;
      }
      String problem = textProblem(s);
      if (problem != null) {
        error(field, problem);
        return null;
      }
      result.add(s);
    }
    return result;
  }

  /**
   * The array {@code field}, which must hold 1 to {@code maxItems} values; otherwise fails at once
   * with a 400 naming the field (a request whose list is missing has nothing else to check).
   */
  public static JsonArray requiredArray(JsonObject input, String field, int maxItems) {
    Object value = input.getValue(field);
    if (value == null) {
      throw InvalidInputException.of(field, "required");
    }
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > maxItems) {
      throw InvalidInputException.of(field, "must be an array of 1 to " + maxItems + " values");
    }
    return array;
  }

  public JsonObject optionalObject(String field) {
    Object value = input.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject object)) {
      error(field, "must be an object");
      return null;
    }
    return storable(field, object) ? object : null;
  }

  /** Any JSON value, encoded (or as sent, when it was kept so); null when absent. */
  public String optionalJson(String field) {
    Object value = input.getValue(field);
    if (value instanceof RawJson raw) {
      return storable(field, raw) ? raw.text() : null;
    }
    if (value == null || !storable(field, value)) {
      return null;
    }
    return io.vertx.core.json.Json.encode(value);
  }

  /** A JSON object, encoded (or as sent, when it was kept so); null when absent. */
  public String optionalObjectJson(String field) {
    if (input.getValue(field) instanceof RawJson raw) {
      if (!raw.isObject()) {
        error(field, "must be an object");
        return null;
      }
      return storable(field, raw) ? raw.text() : null;
    }
    JsonObject object = optionalObject(field);
    return object == null ? null : object.encode();
  }

  /** Records {@code message} against {@code field} unless {@code ok}. */
  public void check(boolean ok, String field, String message) {
    if (!ok) {
      error(field, message);
    }
  }

  public void error(String field, String message) {
    errors.add(new FieldError(prefix + field, message));
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }

  public List<FieldError> errors() {
    return errors;
  }

  /** The errors as one line: {@code span.trace_id: required; span.kind: must be one of …}. */
  public String summary() {
    return String.join("; ", errors.stream().map(e -> e.field() + ": " + e.message()).toList());
  }

  /** Fails with an {@link InvalidInputException} naming every invalid field, if any. */
  public void validate() {
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
  }

  private boolean isAbsent(String field) {
    return scalar(field) == null;
  }

  /**
   * A field as parsed, for checks of scalar values: unlike {@link JsonObject#getValue} it does not
   * wrap a nested map or list, which such a check refuses either way (ingest reads fields by the
   * thousand).
   */
  private Object scalar(String field) {
    return input.getMap().get(field);
  }

  private static boolean isWhole(Number n) {
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      return Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15;
    }
    return !(n instanceof java.math.BigDecimal) && !(n instanceof java.math.BigInteger);
  }

  /**
   * Whether {@code text} has more than {@code max} characters, counted as people count them: an
   * emoji is one, though Java holds it as two chars.
   */
  public static boolean longerThan(String text, int max) {
    return text.length() > max && text.codePointCount(0, text.length()) > max;
  }

  /**
   * Why PostgreSQL could not store {@code text} as it is, or null when it can. It refuses NUL
   * characters, and its UTF-8 has no form for half of a surrogate pair: written out, one would
   * become "?", so the value stored would not be the value sent.
   */
  public static String textProblem(String text) {
    if (text.indexOf('\0') >= 0) {
      return NUL;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c) || i + 1 == text.length()
            || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return UNPAIRED_SURROGATE;
        }
        i++;
      }
    }
    return null;
  }

  private boolean storable(String field, Object value) {
    String problem = value instanceof RawJson raw ? raw.problem() : unstorable(value, 0);
    if (problem != null) {
      error(field, problem);
      return false;
    }
    return true;
  }

  /**
   * Why a parsed JSON value, found {@code depth} levels deep, cannot be stored (see
   * {@link #textProblem}; also a number beyond a double, which JSON cannot carry, or nesting past
   * the limit), or null. Walks the parsed maps and lists themselves: going through
   * {@link JsonObject#getValue} would wrap every nested value anew.
   */
  private static String unstorable(Object value, int depth) {
    if (value instanceof String s) {
      return textProblem(s);
    }
    if (value instanceof JsonObject o) {
      return unstorable(o.getMap(), depth);
    }
    if (value instanceof JsonArray a) {
      return unstorable(a.getList(), depth);
    }
    if ((value instanceof Map || value instanceof List) && depth == MAX_NESTING) {
      return TOO_DEEP;
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String problem = unstorable(e.getKey(), depth + 1);
        if (problem != null || (problem = unstorable(e.getValue(), depth + 1)) != null) {
          return problem;
        }
      }
    } else if (value instanceof List<?> list) {
      for (Object item : list) {
        String problem = unstorable(item, depth + 1);
        if (problem != null) {
          return problem;
        }
      }
    } else if (value instanceof Double d && !Double.isFinite(d)) {
      return NOT_FINITE;
    }
    return null;
  }
}
