package dev.sextant.experiments;

import dev.sextant.common.Times;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The wire shape of experiments, summaries, results and comparisons, in one place. */
final class ExperimentJson {

  private ExperimentJson() {}

  /** The experiment with its summary (API.md section 6). */
  static JsonObject summary(Experiment e, ResultTotals totals) {
    JsonObject scores = new JsonObject();
    totals.scores().forEach((name, s) -> scores.put(name, new JsonObject()
        .put("mean", s.mean()).put("min", s.min()).put("max", s.max()).put("count", s.count())));
    return new JsonObject()
        .put("id", e.id().toString())
        .put("name", e.name())
        .put("dataset_id", e.datasetId().toString())
        .put("model_config", e.modelConfig())
        .put("evaluators", e.evaluators())
        .put("metadata", e.metadata())
        .put("status", e.status())
        .put("item_count", e.itemCount())
        .put("result_count", totals.resultCount())
        .put("pending_evaluations", totals.pendingEvaluations())
        .put("scores", scores)
        .put("latency_ms", new JsonObject().put("p50", totals.latencyP50()).put("p95", totals.latencyP95()))
        .put("total_cost", totals.totalCost())
        .put("created_at", Times.format(e.createdAt()))
        .put("completed_at", e.completedAt() == null ? null : Times.format(e.completedAt()));
  }

  static JsonObject result(ExperimentResult r) {
    JsonObject scores = new JsonObject();
    r.scores().forEach(scores::put);
    return new JsonObject()
        .put("item_id", r.itemId())
        .put("output", r.output())
        .put("trace_id", r.traceId())
        .put("latency_ms", r.latencyMs())
        .put("input_tokens", r.inputTokens())
        .put("output_tokens", r.outputTokens())
        .put("cost_usd", r.costUsd())
        .put("scores", scores)
        .put("evaluated_at", r.evaluatedAt() == null ? null : Times.format(r.evaluatedAt()))
        .put("created_at", Times.format(r.createdAt()))
        .put("updated_at", Times.format(r.updatedAt()));
  }

  static JsonObject comparison(JsonObject a, JsonObject b, long commonItems, List<Comparison> byName) {
    JsonObject scores = new JsonObject();
    for (Comparison c : byName) {
      scores.put(c.name(), new JsonObject()
          .put("items", c.common())
          .put("mean_a", c.meanA())
          .put("mean_b", c.meanB())
          .put("delta", c.delta())
          .put("improved", c.improved())
          .put("regressed", c.regressed())
          .put("unchanged", c.unchanged()));
    }
    return new JsonObject().put("a", a).put("b", b).put("common_items", commonItems).put("scores", scores);
  }
}
