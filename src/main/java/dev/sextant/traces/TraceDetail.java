package dev.sextant.traces;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A whole trace: its summary, its JSON fields, its spans and its scores. A JSON field holds the
 * value as stored (a {@code JsonObject}, {@code JsonArray}, string, number or boolean), or null for
 * SQL and JSON null alike.
 */
record TraceDetail(TraceSummary summary, Object metadata, Object input, Object output,
    List<Span> spans, List<Score> scores) {

  /** A span; {@code kind} and {@code status} read as {@code other} and {@code ok} when unset. */
  record Span(String id, String traceId, String parentId, String name, String kind,
      OffsetDateTime startTime, OffsetDateTime endTime, Double latencyMs, String status,
      String statusMessage, String model, Long inputTokens, Long outputTokens, Double costUsd,
      Object input, Object output, Object attributes) {}

  /** A score: its value is the number when there is one, else the label. */
  record Score(String id, String traceId, String spanId, String name, Double valueNum,
      String valueLabel, String source, String comment, OffsetDateTime createdAt) {}
}
