package dev.sextant.config;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads typed values out of the merged configuration, each key required: the shipped
 * {@code conf/sextant.yaml} is the only place a default lives, so a key it lacks is a
 * {@link ConfigException} naming the key, never a fallback written in Java.
 */
final class ConfigReader {

  private final JsonObject json;
  private final String path;

  private ConfigReader(JsonObject json, String path) {
    this.json = json;
    this.path = path;
  }

  static ConfigReader of(JsonObject json) {
    return new ConfigReader(json, "");
  }

  ConfigReader section(String key) {
    if (value(key) instanceof JsonObject section) {
      return new ConfigReader(section, path(key) + ".");
    }
    throw wrong(key, "a section of keys");
  }

  boolean isSection(String key) {
    return json.getValue(key) instanceof JsonObject;
  }

  /** The keys of this section, as in the file. */
  Set<String> keys() {
    return json.fieldNames();
  }

  String text(String key) {
    Object value = value(key);
    if (value == null) {
      return ""; // `key:` with nothing after it
    } else if (value instanceof String s) {
      return s;
    }
    throw wrong(key, "text");
  }

  /** A value with no default, such as a secret or a URL: empty means absent ({@code null}). */
  String optionalText(String key) {
    String value = text(key);
    return value.isBlank() ? null : value;
  }

  /** A comma-separated list, its items trimmed; empty items are dropped. */
  List<String> list(String key) {
    return Arrays.stream(text(key).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  boolean bool(String key) {
    if (value(key) instanceof Boolean b) {
      return b;
    }
    throw wrong(key, "true or false");
  }

  int integer(String key) {
    return (int) wholeNumber(key, Integer.MAX_VALUE);
  }

  long longInteger(String key) {
    return wholeNumber(key, Long.MAX_VALUE);
  }

  /** A number from 0, whole or not. */
  double decimal(String key) {
    if (value(key) instanceof Number n && !(n instanceof BigInteger) && n.doubleValue() >= 0
        && Double.isFinite(n.doubleValue())) {
      return n.doubleValue();
    }
    throw wrong(key, "a number from 0");
  }

  private long wholeNumber(String key, long max) {
    Object value = value(key);
    boolean whole = value instanceof Integer || value instanceof Long
        || value instanceof BigInteger big && big.bitLength() < Long.SIZE;
    if (whole && ((Number) value).longValue() >= 0 && ((Number) value).longValue() <= max) {
      return ((Number) value).longValue();
    }
    throw wrong(key, "a whole number from 0 to " + max);
  }

  private Object value(String key) {
    if (!json.containsKey(key)) {
      throw new ConfigException(path(key) + " is missing from the built-in conf/sextant.yaml,"
          + " where every key has its default");
    }
    return json.getValue(key);
  }

  /** A value of the right kind that still cannot be used: names the key, its variable and the value. */
  ConfigException invalid(String key, String expected) {
    return wrong(key, expected);
  }

  private ConfigException wrong(String key, String expected) {
    return new ConfigException(path(key) + " (" + variable(path(key)) + ") must be " + expected
        + ", got " + ConfigLoader.describe(json.getValue(key)));
  }

  private String path(String key) {
    return path + key;
  }

  /** The environment variable that overrides {@code path}: {@code http.port} → {@code SEXTANT_HTTP_PORT}. */
  static String variable(String path) {
    return "SEXTANT_" + path.replace('.', '_').toUpperCase(Locale.ROOT);
  }
}
