package dev.sextant.evaluators;

import dev.sextant.validation.RawJson;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON values as Vert.x decodes them (String, Number, Boolean, JsonObject, JsonArray, null), seen
 * the way the evaluators compare them: their text, their equality and their numeric value.
 */
final class JsonValues {

  /** A number written in a string is read only up to this many characters. */
  static final int MAX_NUMBER_TEXT = 1_000;
  /** … and only when its decimal exponent lies within ±this. */
  static final int MAX_EXPONENT = 1_000;

  private JsonValues() {}

  /**
   * The value in one of Vert.x's forms: a parsed {@link Map} or {@link List} is wrapped and a
   * {@link RawJson} decoded, so that the rest of this class meets JsonObject and JsonArray only.
   */
  static Object normalize(Object value) {
    if (value instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) map;
      return new JsonObject(m);
    }
    if (value instanceof List<?> list) {
      return new JsonArray(list);
    }
    if (value instanceof RawJson raw) {
      return Json.decodeValue(raw.text());
    }
    return value;
  }

  /** A string is itself; any other value is its compact JSON encoding. Not for null. */
  static String text(Object value) {
    Object v = normalize(value);
    return v instanceof String s ? s : Json.encode(v);
  }

  /**
   * Equality of JSON values: strings char for char, numbers by value (1 equals 1.0), objects by
   * their members whatever the order, arrays element by element.
   */
  static boolean equal(Object a, Object b) {
    a = normalize(a);
    b = normalize(b);
    if (a == null || b == null) {
      return a == b;
    }
    if (a instanceof Number x && b instanceof Number y) {
      BigDecimal dx = decimal(x);
      BigDecimal dy = decimal(y);
      return dx != null && dy != null ? dx.compareTo(dy) == 0 : x.doubleValue() == y.doubleValue();
    }
    if (a instanceof JsonObject x && b instanceof JsonObject y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (String key : x.fieldNames()) {
        if (!y.containsKey(key) || !equal(x.getValue(key), y.getValue(key))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof JsonArray x && b instanceof JsonArray y) {
      if (x.size() != y.size()) {
        return false;
      }
      Iterator<Object> i = x.iterator();
      Iterator<Object> j = y.iterator();
      while (i.hasNext()) {
        if (!equal(i.next(), j.next())) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /**
   * The exact decimal value of a JSON number, or of a string holding one after trimming ("42",
   * " 3.5 ", "1e3"); null for anything else, for a non-finite double, and for a string longer
   * than {@link #MAX_NUMBER_TEXT} or a number beyond 1e±{@link #MAX_EXPONENT} (whose exact
   * arithmetic could take any amount of memory).
   */
  static BigDecimal number(Object value) {
    Object v = normalize(value);
    BigDecimal d = null;
    if (v instanceof Number n) {
      d = decimal(n);
    } else if (v instanceof String s && s.length() <= MAX_NUMBER_TEXT) {
      d = parseDecimal(s.strip());
    }
    if (d == null || d.signum() == 0) {
      return d;
    }
    long exponent = (long) d.precision() - d.scale() - 1;
    return Math.abs(exponent) <= MAX_EXPONENT ? d : null;
  }

  private static BigDecimal parseDecimal(String s) {
    // BigDecimal also reads a leading '+', "5." and ".5"; it refuses NaN, Infinity and hex.
    if (s.isEmpty()) {
      return null;
    }
    try {
      return new BigDecimal(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A Number as the decimal people wrote: 0.1 (a double) is exactly 0.1; null if not finite. */
  static BigDecimal decimal(Number n) {
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (n instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      return Double.isFinite(d) ? new BigDecimal(n.toString()) : null;
    }
    return BigDecimal.valueOf(n.longValue());
  }
}
