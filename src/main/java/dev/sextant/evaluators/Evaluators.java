package dev.sextant.evaluators;

import dev.sextant.validation.FieldError;
import dev.sextant.validation.InvalidInputException;
import dev.sextant.validation.Validator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code evaluators} array of an experiment: {@code [{name, type, params?}]}, each
 * checked once, at creation, so that a bad evaluator is the creating request's 400 and never a
 * failing job. Every error is collected and names its field, e.g. {@code evaluators[2].params.pattern}.
 */
public final class Evaluators {

  /** An experiment has at most this many evaluators. */
  public static final int MAX_EVALUATORS = 50;

  private static final String FIELD = "evaluators";
  private static final Set<String> KEYS = Set.of("name", "type", "params");

  private Evaluators() {}

  /**
   * The evaluators of {@code value}, the request's {@code evaluators} field as parsed (null when
   * absent: no evaluators).
   *
   * @throws InvalidInputException naming every invalid field
   */
  public static List<Evaluator> parse(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list) {
      return parse(new JsonArray(list));
    }
    if (!(value instanceof JsonArray array)) {
      throw InvalidInputException.of(FIELD, "must be an array of objects");
    }
    return parse(array);
  }

  /** The evaluators of {@code array} (null: none); see {@link #parse(Object)}. */
  public static List<Evaluator> parse(JsonArray array) {
    if (array == null) {
      return List.of();
    }
    if (array.size() > MAX_EVALUATORS) {
      throw InvalidInputException.of(FIELD, "must have at most " + MAX_EVALUATORS + " items");
    }
    List<FieldError> errors = new ArrayList<>();
    List<Evaluator> evaluators = new ArrayList<>(array.size());
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < array.size(); i++) {
      String at = FIELD + "[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject json)) {
        errors.add(new FieldError(at, "must be an object"));
        continue;
      }
      Evaluator evaluator = parseOne(json, at + ".", errors);
      if (evaluator != null) {
        evaluators.add(evaluator);
      }
      // names are compared whether or not the rest of their evaluator is valid
      if (json.getValue("name") instanceof String name) {
        Integer first = names.putIfAbsent(name, i);
        if (first != null) {
          errors.add(new FieldError(at + ".name",
              "must be unique: " + FIELD + "[" + first + "] has this name too"));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return List.copyOf(evaluators);
  }

  /** One evaluator, or null after adding its errors to {@code errors}. */
  private static Evaluator parseOne(JsonObject json, String prefix, List<FieldError> errors) {
    Validator v = new Validator(json, prefix);
    for (String key : json.fieldNames()) {
      v.check(KEYS.contains(key), key, "unknown field: an evaluator has name, type and params");
    }
    String name = v.requiredString("name", Validator.MAX_NAME);
    EvaluatorType type = null;
    if (json.getValue("type") == null) {
      v.error("type", "required");
    } else {
      String apiName = v.optionalEnum("type", EvaluatorType.NAMES);
      type = apiName == null ? null : EvaluatorType.fromApiName(apiName).orElseThrow();
    }
    // each parameter is checked for what it is (and whether jsonb can hold it) by its type
    Object given = json.getValue("params");
    JsonObject params = given instanceof JsonObject object ? object : null;
    v.check(given == null || params != null, "params", "must be an object");
    Scorer scorer = type == null || (given != null && params == null)
        ? null : EvaluatorParams.scorer(type, params, v);
    errors.addAll(v.errors());
    return v.hasErrors() ? null : new Evaluator(name, type, params, scorer);
  }
}
