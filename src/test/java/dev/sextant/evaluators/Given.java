package dev.sextant.evaluators;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Evaluators built as an experiment's request gives them. */
final class Given {

  private Given() {}

  static Evaluator evaluator(String type) {
    return evaluator(type, null);
  }

  static Evaluator evaluator(String type, JsonObject params) {
    JsonObject json = new JsonObject().put("name", type + " check").put("type", type);
    if (params != null) {
      json.put("params", params);
    }
    return Evaluators.parse(new JsonArray().add(json)).get(0);
  }

  static Evaluation.Score score(double value) {
    return new Evaluation.Score(value);
  }
}
