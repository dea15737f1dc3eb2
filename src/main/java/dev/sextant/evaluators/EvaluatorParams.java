package dev.sextant.evaluators;

import dev.sextant.validation.Validator;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Checks an evaluator's {@code params} against its type and builds the type's {@link Scorer}. */
final class EvaluatorParams {

  /** A regex evaluator's pattern is at most this many characters. */
  static final int MAX_PATTERN = 1_000;

  private EvaluatorParams() {}

  /** The scorer of {@code type} with {@code params} (null: none), or null after errors in {@code v}. */
  static Scorer scorer(EvaluatorType type, JsonObject params, Validator v) {
    JsonObject given = params == null ? new JsonObject() : params;
    for (String key : given.fieldNames()) {
      v.check(type.params().contains(key), "params." + key, "unknown parameter: " + type.apiName()
          + " takes " + (type.params().isEmpty() ? "none" : String.join(", ", type.params())));
    }
    Scorer scorer = switch (type) {
      case EXACT_MATCH -> new ExactMatch();
      case CONTAINS -> new Contains();
      case JSON_VALID -> new JsonValid();
      case LEVENSHTEIN_SIMILARITY -> new LevenshteinSimilarity();
      case REGEX -> regex(given, v);
      case NUMERIC_TOLERANCE -> numericTolerance(given, v);
    };
    return v.hasErrors() ? null : scorer;
  }

  private static Scorer regex(JsonObject params, Validator v) {
    String field = "params.pattern";
    Object value = params.getValue("pattern");
    if (value == null) {
      v.error(field, "required");
      return null;
    }
    if (!(value instanceof String pattern)) {
      v.error(field, "must be a string");
      return null;
    }
    String problem = pattern.isEmpty() ? "must not be empty"
        : Validator.longerThan(pattern, MAX_PATTERN) ? "must be at most " + MAX_PATTERN + " characters"
        : Validator.textProblem(pattern);
    if (problem != null) {
      v.error(field, problem);
      return null;
    }
    try {
      return new RegexFind(Pattern.compile(pattern));
    } catch (PatternSyntaxException e) {
      v.error(field, "must be a valid regular expression: " + e.getDescription()
          + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
    } catch (StackOverflowError e) {
      v.error(field, "must be a valid regular expression: it nests too deeply");
    }
    return null;
  }

  private static Scorer numericTolerance(JsonObject params, Validator v) {
    String field = "params.tolerance";
    Object value = params.getValue("tolerance");
    if (value == null) {
      v.error(field, "required");
      return null;
    }
    BigDecimal tolerance = value instanceof Number n && Double.isFinite(n.doubleValue())
        ? JsonValues.decimal(n) : null;
    if (tolerance == null || tolerance.signum() < 0) {
      v.error(field, "must be a number of 0 or more");
      return null;
    }
    return new NumericTolerance(tolerance);
  }
}
