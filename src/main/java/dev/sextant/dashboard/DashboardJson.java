package dev.sextant.dashboard;

import dev.sextant.common.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.ZoneOffset;

/** The dashboard as JSON (API.md section 8). */
final class DashboardJson {

  private DashboardJson() {}

  static JsonObject dashboard(Dashboard d) {
    JsonArray series = new JsonArray();
    d.series().forEach(point -> series.add(figures(new JsonObject()
        .put("ts", Times.format(point.ts().atOffset(ZoneOffset.UTC))), point.figures())));
    JsonArray models = new JsonArray();
    d.topModels().forEach(m -> models.add(new JsonObject()
        .put("model", m.model())
        .put("calls", m.calls())
        .put("input_tokens", m.inputTokens())
        .put("output_tokens", m.outputTokens())
        .put("cost", m.cost())));
    JsonArray traces = new JsonArray();
    d.topTraces().forEach(t -> traces.add(new JsonObject()
        .put("name", t.name())
        .put("count", t.count())
        .put("p95_ms", t.p95Ms())));
    return new JsonObject()
        .put("window", d.window().param())
        .put("bucket_seconds", d.window().bucketSeconds())
        .put("series", series)
        .put("totals", figures(new JsonObject(), d.totals()))
        .put("top_models", models)
        .put("top_traces", traces);
  }

  private static JsonObject figures(JsonObject into, Dashboard.Figures f) {
    return into
        .put("traces", f.traces())
        .put("errors", f.errors())
        .put("latency_p50_ms", f.latencyP50Ms())
        .put("latency_p95_ms", f.latencyP95Ms())
        .put("input_tokens", f.inputTokens())
        .put("output_tokens", f.outputTokens())
        .put("cost", f.cost());
  }
}
