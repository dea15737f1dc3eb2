package dev.sextant.otlp;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import io.vertx.core.json.JsonObject;

/** What the spans of one trace in one request say about the trace itself. */
final class OtlpTraceSummary {

  private final String id;
  private Span root;
  private String userId;
  private String sessionId;

  OtlpTraceSummary(String id) {
    this.id = id;
  }

  /** Records a span of this trace; the first root span wins. */
  void add(Span span) {
    if (root == null && OtlpTraceMapper.isRoot(span)) {
      root = span;
    }
  }

  /** Takes a span's user id for the trace's unless another came first; false when one did. */
  boolean userId(String spanUserId) {
    userId = userId == null ? spanUserId : userId;
    return spanUserId == null || spanUserId.equals(userId);
  }

  /** As {@link #userId}, for the session id. */
  boolean sessionId(String spanSessionId) {
    sessionId = sessionId == null ? spanSessionId : sessionId;
    return spanSessionId == null || spanSessionId.equals(sessionId);
  }

  /** Whether there is more to say than the id, which the span items already imply. */
  boolean known() {
    return root != null || userId != null || sessionId != null;
  }

  /** A trace item body with only the fields this request knows, as the upsert expects. */
  JsonObject body() {
    JsonObject body = new JsonObject().put("id", id);
    if (root != null) {
      body.put("name", root.getName());
      OtlpTraceMapper.putNanos(body, "start_time", root.getStartTimeUnixNano());
      OtlpTraceMapper.putNanos(body, "end_time", root.getEndTimeUnixNano());
      // only an error is news: "ok" could overwrite an error the trace got some other way
      if (root.getStatus().getCode() == StatusCode.STATUS_CODE_ERROR) {
        body.put("status", "error");
      }
    }
    if (userId != null) {
      body.put("user_id", userId);
    }
    if (sessionId != null) {
      body.put("session_id", sessionId);
    }
    return body;
  }
}
