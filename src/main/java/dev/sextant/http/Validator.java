package dev.sextant.http;

import dev.sextant.http.Problem.FieldError;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every field error of one input object, so a client learns all that is wrong at once;
 * {@link #validate()} then fails with a 400 naming each field.
 */
public final class Validator {

  /** Names (of users, projects, keys, traces…) are at most this long. */
  public static final int MAX_NAME = 512;

  private final JsonObject input;
  private final String prefix;
  private final List<FieldError> errors = new ArrayList<>();

  public Validator(JsonObject input) {
    this(input, "");
  }

  public Validator(JsonObject input, String prefix) {
    this.input = input;
    this.prefix = prefix;
  }

  public String requiredString(String field, int maxLength) {
    String value = optionalString(field, maxLength);
    if (value == null && !has(field)) {
      error(field, "is required");
    } else if (value != null && value.isBlank()) {
      error(field, "must not be blank");
    }
    return value;
  }

  public String optionalString(String field, int maxLength) {
    Object value = input.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      error(field, "must be a string");
      return null;
    }
    if (s.length() > maxLength) {
      error(field, "must be at most " + maxLength + " characters");
    }
    return s;
  }

  public Integer optionalInt(String field, int min, int max) {
    Object value = input.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      error(field, "must be an integer");
      return null;
    }
    long v = n.longValue();
    if (v < min || v > max) {
      error(field, "must be between " + min + " and " + max);
      return null;
    }
    return (int) v;
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

  /** Fails with a validation {@link Problem} if any field was invalid. */
  public void validate() {
    if (!errors.isEmpty()) {
      throw Problem.validation(errors);
    }
  }

  private boolean has(String field) {
    return input.containsKey(field) && input.getValue(field) != null;
  }
}
