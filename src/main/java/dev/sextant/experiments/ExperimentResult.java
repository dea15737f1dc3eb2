package dev.sextant.experiments;

import dev.sextant.common.Cursors;
import java.time.OffsetDateTime;
import java.util.Map;

/** One item's result in an experiment, with its scores by name; nullable fields were not sent. */
record ExperimentResult(String itemId, Object output, String traceId, Double latencyMs,
    Long inputTokens, Long outputTokens, Double costUsd, Map<String, Double> scores,
    OffsetDateTime evaluatedAt, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  /** A result as a client sends it; {@code output} is JSON text, {@code scores} by name. */
  record Draft(String itemId, String output, String traceId, Double latencyMs, Long inputTokens,
      Long outputTokens, Double costUsd, Map<String, Double> scores) {}

  Cursors.Position position() {
    return new Cursors.Position(createdAt, itemId);
  }
}
