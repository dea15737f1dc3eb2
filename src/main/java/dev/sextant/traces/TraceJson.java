package dev.sextant.traces;

import dev.sextant.common.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The wire shapes of traces, spans, scores and stats, in one place per record. */
final class TraceJson {

  private TraceJson() {}

  static JsonObject summary(TraceSummary trace) {
    return new JsonObject()
        .put("id", trace.id())
        .put("name", trace.name())
        .put("user_id", trace.userId())
        .put("session_id", trace.sessionId())
        .put("release", trace.release())
        .put("tags", new JsonArray(trace.tags()))
        .put("start_time", Times.format(trace.startTime()))
        .put("end_time", Times.format(trace.endTime()))
        .put("status", trace.isError() ? "error" : "ok")
        .put("span_count", trace.spanCount())
        .put("input_tokens", trace.inputTokens())
        .put("output_tokens", trace.outputTokens())
        .put("total_cost", trace.totalCost())
        .put("latency_ms", trace.latencyMs())
        .put("created_at", Times.format(trace.createdAt()))
        .put("updated_at", Times.format(trace.updatedAt()));
  }

  static JsonObject detail(TraceDetail trace) {
    JsonArray spans = new JsonArray(new ArrayList<>(trace.spans().size()));
    trace.spans().forEach(span -> spans.add(span(span)));
    JsonArray scores = new JsonArray(new ArrayList<>(trace.scores().size()));
    trace.scores().forEach(score -> scores.add(score(score)));
    return summary(trace.summary())
        .put("metadata", trace.metadata())
        .put("input", trace.input())
        .put("output", trace.output())
        .put("spans", spans)
        .put("scores", scores);
  }

  static JsonObject span(TraceDetail.Span span) {
    return new JsonObject()
        .put("id", span.id())
        .put("trace_id", span.traceId())
        .put("parent_id", span.parentId())
        .put("name", span.name())
        .put("kind", span.kind())
        .put("start_time", Times.format(span.startTime()))
        .put("end_time", Times.format(span.endTime()))
        .put("latency_ms", span.latencyMs())
        .put("status", span.status())
        .put("status_message", span.statusMessage())
        .put("model", span.model())
        .put("input_tokens", span.inputTokens())
        .put("output_tokens", span.outputTokens())
        .put("cost_usd", span.costUsd())
        .put("input", span.input())
        .put("output", span.output())
        .put("attributes", span.attributes());
  }

  static JsonObject score(TraceDetail.Score score) {
    return new JsonObject()
        .put("id", score.id())
        .put("trace_id", score.traceId())
        .put("span_id", score.spanId())
        .put("name", score.name())
        .put("value", score.valueNum() != null ? score.valueNum() : score.valueLabel())
        .put("source", score.source())
        .put("comment", score.comment())
        .put("created_at", Times.format(score.createdAt()));
  }

  /** The stats answer: {@code {"data": [group, ...]}}. */
  static JsonObject stats(List<TraceStats> groups) {
    JsonArray data = new JsonArray(new ArrayList<>(groups.size()));
    groups.forEach(group -> data.add(group(group)));
    return new JsonObject().put("data", data);
  }

  private static JsonObject group(TraceStats group) {
    return new JsonObject()
        .put("key", group.key())
        .put("trace_count", group.traceCount())
        .put("error_count", group.errorCount())
        .put("error_rate", group.errorRate())
        .put("latency_ms", new JsonObject()
            .put("p50", group.p50())
            .put("p95", group.p95())
            .put("p99", group.p99()))
        .put("input_tokens", group.inputTokens())
        .put("output_tokens", group.outputTokens())
        .put("total_cost", group.totalCost());
  }
}
