package dev.sextant.otlp;

import com.google.protobuf.ByteString;
import dev.sextant.validation.Validator;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Maps an OTLP traces export onto the items of Sextant's batch ingest
 * ({@code POST /api/v1/ingest}), so that OTLP and the native API share one validation and write
 * path.
 */
public final class OtlpTraceMapper {

  /**
   * The outcome of a mapping.
   *
   * @param items trace items first (one per trace with something known about it), then one span
   *     item per accepted span, each {@code {"type": ..., "body": {...}}}
   * @param rejectedSpans spans dropped for invalid ids, for {@code partial_success.rejected_spans}
   * @param errorMessage null when nothing was rejected, else a short sentence for the client,
   *     e.g. "2 spans rejected: invalid span_id"
   */
  public record Mapped(List<JsonObject> items, int rejectedSpans, String errorMessage) {}

  private static final String OPERATION = "gen_ai.operation.name";
  private static final String USER_ID = "user.id";
  private static final String SESSION_ID = "session.id";

  /** GenAI semantic-convention operation names; any other value is kind {@code other}. */
  private static final Map<String, String> KIND_BY_OPERATION = Map.of(
      "chat", "llm",
      "text_completion", "llm",
      "generate_content", "llm",
      "embeddings", "embedding",
      "execute_tool", "tool",
      "invoke_agent", "agent",
      "create_agent", "agent");

  private static final HexFormat HEX = HexFormat.of();

  private OtlpTraceMapper() {}

  /**
   * Maps every span of the request to a span item and every trace with a root span or a user or
   * session id to a trace item. A span is rejected (counted, no item) only when its trace id is
   * not 16 bytes or all zero, or its span id is not 8 bytes or all zero; every other check is left
   * to the ingest validator, which reports per item.
   *
   * <p>Items carry only fields the request knows: the ingest upserts, and an absent field keeps
   * its earlier value. Timestamps are unix nanoseconds as decimal strings, omitted when 0.
   * Attributes are the resource's then the span's (the span's win on the same key), minus the
   * ones whose value moved into a field of their own ({@code model}, token counts,
   * {@code gen_ai.operation.name}, {@code user.id}, {@code session.id}).
   *
   * @param request a decoded request, typically from {@link OtlpDecoder}; its attribute values must
   *     be of bounded nesting, as the decoders guarantee
   */
  public static Mapped map(ExportTraceServiceRequest request) {
    Map<String, OtlpTraceSummary> traces = new LinkedHashMap<>();
    List<JsonObject> spanItems = new ArrayList<>();
    Map<String, Integer> rejections = new LinkedHashMap<>();
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      List<KeyValue> resource = resourceSpans.getResource().getAttributesList();
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (Span span : scopeSpans.getSpansList()) {
          String problem = idProblem(span);
          if (problem != null) {
            rejections.merge(problem, 1, Integer::sum);
            continue;
          }
          Map<String, AnyValue> attributes = merge(resource, span.getAttributesList());
          OtlpTraceSummary trace = traces.computeIfAbsent(hex(span.getTraceId()), OtlpTraceSummary::new);
          trace.add(span);
          // user and session describe the trace, so they leave the span's attributes for the
          // trace's fields; a span that says otherwise than an earlier one keeps its own
          AnyValue user = attributes.get(USER_ID);
          if (!trace.userId(take(attributes, USER_ID))) {
            attributes.put(USER_ID, user);
          }
          AnyValue session = attributes.get(SESSION_ID);
          if (!trace.sessionId(take(attributes, SESSION_ID))) {
            attributes.put(SESSION_ID, session);
          }
          spanItems.add(item("span", spanBody(span, attributes)));
        }
      }
    }
    List<JsonObject> items = new ArrayList<>();
    for (OtlpTraceSummary trace : traces.values()) {
      if (trace.known()) {
        items.add(item("trace", trace.body()));
      }
    }
    items.addAll(spanItems);
    int rejected = rejections.values().stream().mapToInt(Integer::intValue).sum();
    return new Mapped(List.copyOf(items), rejected, describe(rejected, rejections));
  }

  /** Null for a span with usable ids, else the reason it is rejected. */
  private static String idProblem(Span span) {
    if (span.getTraceId().size() != 16 || allZero(span.getTraceId())) {
      return "invalid trace_id";
    }
    if (span.getSpanId().size() != 8 || allZero(span.getSpanId())) {
      return "invalid span_id";
    }
    return null;
  }

  private static Map<String, AnyValue> merge(List<KeyValue> resource, List<KeyValue> span) {
    Map<String, AnyValue> merged = new LinkedHashMap<>();
    resource.forEach(kv -> merged.put(kv.getKey(), kv.getValue()));
    span.forEach(kv -> merged.put(kv.getKey(), kv.getValue()));
    return merged;
  }

  /** Takes the attributes it maps out of {@code attributes}; the rest become the span's. */
  private static JsonObject spanBody(Span span, Map<String, AnyValue> attributes) {
    boolean error = span.getStatus().getCode() == StatusCode.STATUS_CODE_ERROR;
    JsonObject body = new JsonObject()
        .put("id", hex(span.getSpanId()))
        .put("trace_id", hex(span.getTraceId()))
        .put("parent_id", isRoot(span) ? null : hex(span.getParentSpanId()))
        .put("name", span.getName())
        .put("kind", kind(attributes.remove(OPERATION)));
    putNanos(body, "start_time", span.getStartTimeUnixNano());
    putNanos(body, "end_time", span.getEndTimeUnixNano());
    body.put("status", error ? "error" : "ok");
    if (error && !span.getStatus().getMessage().isEmpty()) {
      body.put("status_message", span.getStatus().getMessage());
    }
    String model = take(attributes, "gen_ai.request.model", "gen_ai.response.model");
    if (model != null) {
      body.put("model", model);
    }
    putCount(body, "input_tokens", attributes,
        "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens");
    putCount(body, "output_tokens", attributes,
        "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens");
    return body.put("attributes", OtlpAttributesJson.of(attributes));
  }

  private static String kind(AnyValue operation) {
    if (operation == null || operation.getValueCase() != AnyValue.ValueCase.STRING_VALUE) {
      return "other";
    }
    String name = operation.getStringValue().trim().toLowerCase(Locale.ROOT);
    return KIND_BY_OPERATION.getOrDefault(name, "other");
  }

  /**
   * The text of the first key that has one fit for a field of its own, removing that key (and only
   * that one). A text too long for the field stays an attribute, where its value is kept, rather
   * than fail the span or trace it would be a field of.
   */
  private static String take(Map<String, AnyValue> attributes, String... keys) {
    for (String key : keys) {
      AnyValue value = attributes.get(key);
      String text = value == null ? null : OtlpValues.asText(value);
      if (text != null && !Validator.longerThan(text, Validator.MAX_NAME) && Validator.textProblem(text) == null) {
        attributes.remove(key);
        return text;
      }
    }
    return null;
  }

  private static void putCount(
      JsonObject body, String field, Map<String, AnyValue> attributes, String... keys) {
    for (String key : keys) {
      AnyValue value = attributes.get(key);
      Long count = value == null ? null : OtlpValues.asCount(value);
      if (count != null) {
        attributes.remove(key);
        body.put(field, count);
        return;
      }
    }
  }

  /** OTLP times are unsigned; 0 means "not set", which the upsert expresses by absence. */
  static void putNanos(JsonObject body, String field, long unixNanos) {
    if (unixNanos != 0) {
      body.put(field, Long.toUnsignedString(unixNanos));
    }
  }

  /** An all-zero parent is the invalid span id, which some exporters send for "no parent". */
  static boolean isRoot(Span span) {
    return span.getParentSpanId().isEmpty() || allZero(span.getParentSpanId());
  }

  private static boolean allZero(ByteString bytes) {
    for (int i = 0; i < bytes.size(); i++) {
      if (bytes.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }

  private static String hex(ByteString bytes) {
    return HEX.formatHex(bytes.toByteArray());
  }

  private static JsonObject item(String type, JsonObject body) {
    return new JsonObject().put("type", type).put("body", body);
  }

  private static String describe(int rejected, Map<String, Integer> rejections) {
    if (rejected == 0) {
      return null;
    }
    String reasons = rejections.size() == 1
        ? rejections.keySet().iterator().next()
        : rejections.entrySet().stream()
            .map(e -> e.getKey() + " (" + e.getValue() + ")")
            .collect(Collectors.joining(", "));
    return rejected + (rejected == 1 ? " span" : " spans") + " rejected: " + reasons;
  }
}
