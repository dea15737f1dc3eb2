package dev.sextant.evaluators;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * One evaluator of an experiment, as {@link Evaluators#parse} validated it: a name (the name of
 * the scores it writes), a type and the type's parameters. Immutable and thread-safe; evaluating
 * is plain CPU work bounded in input and time, meant for a worker thread, never an event loop.
 */
public final class Evaluator {

  /** The time one evaluation may take unless the caller gives another. */
  public static final Duration DEFAULT_BUDGET = Duration.ofMillis(100);

  private final String name;
  private final EvaluatorType type;
  private final JsonObject params;
  private final Scorer scorer;

  Evaluator(String name, EvaluatorType type, JsonObject params, Scorer scorer) {
    this.name = name;
    this.type = type;
    this.params = params == null ? null : params.copy();
    this.scorer = scorer;
  }

  public String name() {
    return name;
  }

  public EvaluatorType type() {
    return type;
  }

  /** The parameters as given, or null when none were. */
  public JsonObject params() {
    return params == null ? null : params.copy();
  }

  /** Judges a result within {@link #DEFAULT_BUDGET}; see {@link #evaluate(Object, Object, Duration)}. */
  public Evaluation evaluate(Object output, Object expected) {
    return evaluate(output, expected, DEFAULT_BUDGET);
  }

  /**
   * Judges a result's {@code output} against its item's {@code expected} output, both JSON values
   * as Vert.x decodes them (String, Number, Boolean, JsonObject, JsonArray; null when absent or
   * JSON null). Work that could run long (a regular expression's search) stops once
   * {@code budget} is spent and answers {@link Evaluation.TimedOut}. docs/evaluators.md gives
   * each type's semantics.
   */
  public Evaluation evaluate(Object output, Object expected, Duration budget) {
    return scorer.score(JsonValues.normalize(output), JsonValues.normalize(expected),
        Budget.startingNow(budget));
  }

  /** The evaluator as it was given: {@code {name, type, params?}}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name).put("type", type.apiName());
    return params == null ? json : json.put("params", params.copy());
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
