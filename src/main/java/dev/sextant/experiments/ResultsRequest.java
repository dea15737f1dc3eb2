package dev.sextant.experiments;

import dev.sextant.validation.Validator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request of {@code POST /api/v1/experiments/{id}/results}: each result checked on its own, so
 * one bad result never refuses the others, and the 207 answer with one entry per result sent.
 */
final class ResultsRequest {

  static final int MAX_RESULTS = 1000;
  static final int MAX_SCORES = 100;
  /** Latencies and costs above this are taken for mistakes (a latency of 30 years, say). */
  static final double MAX_MEASURE = 1e12;

  /** One result as sent: its draft, or why it is refused. */
  private record Entry(String itemId, ExperimentResult.Draft draft, String error) {}

  private final List<Entry> entries;

  private ResultsRequest(List<Entry> entries) {
    this.entries = entries;
  }

  /** Reads {@code {"results":[…]}}; an envelope that is not that shape is a 400 for the whole. */
  static ResultsRequest read(JsonObject body) {
    JsonArray array = Validator.requiredArray(body, "results", MAX_RESULTS);
    List<Entry> entries = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      entries.add(array.getValue(i) instanceof JsonObject result ? entry(result)
          : new Entry(null, null, "result: must be an object"));
    }
    return new ResultsRequest(entries);
  }

  private static Entry entry(JsonObject result) {
    Validator v = new Validator(result);
    String itemId = v.requiredClientId("item_id");
    String output = v.optionalJson("output");
    v.check(result.getValue("output") != null, "output", "required");
    String traceId = v.optionalClientId("trace_id");
    Double latency = v.optionalDouble("latency_ms", 0, MAX_MEASURE);
    Long inputTokens = v.optionalLong("input_tokens", 0, Long.MAX_VALUE);
    Long outputTokens = v.optionalLong("output_tokens", 0, Long.MAX_VALUE);
    Double cost = v.optionalDouble("cost_usd", 0, MAX_MEASURE);
    Map<String, Double> scores = scores(v, result.getValue("scores"));
    if (v.hasErrors()) {
      return new Entry(itemId, null, v.summary());
    }
    return new Entry(itemId, new ExperimentResult.Draft(itemId, output, traceId, latency,
        inputTokens, outputTokens, cost, scores), null);
  }

  /** {@code scores: {name: number}}, each name a name and each value a finite number. */
  private static Map<String, Double> scores(Validator v, Object value) {
    Map<String, Double> scores = new LinkedHashMap<>();
    if (value == null) {
      return scores;
    }
    if (!(value instanceof JsonObject object)) {
      v.error("scores", "must be an object of numbers by score name");
      return scores;
    }
    if (object.size() > MAX_SCORES) {
      v.error("scores", "must hold at most " + MAX_SCORES + " scores");
      return scores;
    }
    for (String name : object.fieldNames()) {
      String problem = name.isBlank() ? "must not be blank"
          : Validator.longerThan(name, Validator.MAX_NAME) ? "must be at most " + Validator.MAX_NAME + " characters"
          : Validator.textProblem(name);
      Object score = object.getValue(name);
      if (problem != null) {
        v.error("scores", "a score name " + problem);
      } else if (!(score instanceof Number n) || !Double.isFinite(n.doubleValue())) {
        v.error("scores." + name, "must be a number");
      } else {
        scores.put(name, n.doubleValue());
      }
    }
    return scores;
  }

  /** The valid results, one per item: of results sent twice, the last valid one, as if sent in turn. */
  List<ExperimentResult.Draft> distinctDrafts() {
    Map<String, ExperimentResult.Draft> byItem = new LinkedHashMap<>();
    for (Entry entry : entries) {
      if (entry.draft() != null) {
        byItem.remove(entry.itemId());
        byItem.put(entry.itemId(), entry.draft());
      }
    }
    return List.copyOf(byItem.values());
  }

  /** {@code {"results":[{index, item_id, status, error?}]}}, with the results refused by item id. */
  JsonObject answer(Map<String, String> refused) {
    JsonArray results = new JsonArray();
    for (int i = 0; i < entries.size(); i++) {
      Entry entry = entries.get(i);
      String error = entry.error() != null ? entry.error() : refused.get(entry.itemId());
      JsonObject result = new JsonObject().put("index", i);
      if (entry.itemId() != null) {
        result.put("item_id", entry.itemId());
      }
      result.put("status", error == null ? 201 : 400);
      if (error != null) {
        result.put("error", error);
      }
      results.add(result);
    }
    return new JsonObject().put("results", results);
  }
}
