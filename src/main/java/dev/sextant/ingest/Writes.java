package dev.sextant.ingest;

import dev.sextant.tracemodel.SpanTotals;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Validated items of an ingest batch. A null field was absent: on upsert it keeps the stored value.
 * JSON-valued fields are carried encoded, as PostgreSQL takes them.
 */
final class Writes {

  private Writes() {}

  static <T> T pick(T later, T earlier) {
    return later != null ? later : earlier;
  }

  record TraceWrite(String id, String name, String userId, String sessionId, String release,
      List<String> tags, String metadata, String input, String output, OffsetDateTime startTime,
      OffsetDateTime endTime, String status) {

    /** The two writes of one id in one batch, the later winning field by field. */
    TraceWrite then(TraceWrite later) {
      return new TraceWrite(id, pick(later.name, name), pick(later.userId, userId),
          pick(later.sessionId, sessionId), pick(later.release, release), pick(later.tags, tags),
          pick(later.metadata, metadata), pick(later.input, input), pick(later.output, output),
          pick(later.startTime, startTime), pick(later.endTime, endTime), pick(later.status, status));
    }
  }

  record SpanWrite(String id, String traceId, String parentId, String name, String kind,
      OffsetDateTime startTime, OffsetDateTime endTime, String status, String statusMessage,
      String model, Long inputTokens, Long outputTokens, Double costUsd, String input,
      String output, String attributes) implements SpanTotals.Span {

    SpanWrite then(SpanWrite later) {
      return new SpanWrite(id, traceId, pick(later.parentId, parentId), pick(later.name, name),
          pick(later.kind, kind), pick(later.startTime, startTime), pick(later.endTime, endTime),
          pick(later.status, status), pick(later.statusMessage, statusMessage),
          pick(later.model, model), pick(later.inputTokens, inputTokens),
          pick(later.outputTokens, outputTokens), pick(later.costUsd, costUsd),
          pick(later.input, input), pick(later.output, output), pick(later.attributes, attributes));
    }
  }

  /**
   * A score's value is a number or a label: at most one of the two is set, and neither when the
   * write leaves the value as stored.
   */
  record ScoreWrite(String id, String traceId, String spanId, String name, Double valueNum,
      String valueLabel, String source, String comment) {

    ScoreWrite then(ScoreWrite later) {
      boolean laterValue = later.hasValue();
      return new ScoreWrite(id, pick(later.traceId, traceId), pick(later.spanId, spanId),
          pick(later.name, name), laterValue ? later.valueNum : valueNum,
          laterValue ? later.valueLabel : valueLabel, pick(later.source, source),
          pick(later.comment, comment));
    }

    boolean hasValue() {
      return valueNum != null || valueLabel != null;
    }

    /** Whether it could create the score: a new one needs its trace, name and value. */
    boolean isComplete() {
      return traceId != null && name != null && hasValue();
    }
  }
}
