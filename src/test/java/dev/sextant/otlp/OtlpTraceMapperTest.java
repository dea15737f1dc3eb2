package dev.sextant.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.sextant.validation.RawJson;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("The OTLP trace mapper")
class OtlpTraceMapperTest {

  static final String TRACE = "5b8efff798038103d269b633813fc60c";
  static final String ROOT = "eee19b7ec3c1b173";
  static final String CHILD = "eee19b7ec3c1b174";

  @Test
  @DisplayName("maps a GenAI chat span onto a span item with hex ids, nano strings and usage")
  void mapsChatSpan() {
    Span span = span(TRACE, CHILD, ROOT, "chat gpt-4o")
        .setStartTimeUnixNano(1732645118123456789L)
        .setEndTimeUnixNano(1732645119000000001L)
        .addAttributes(attr("gen_ai.operation.name", text("chat")))
        .addAttributes(attr("gen_ai.request.model", text("gpt-4o")))
        .addAttributes(attr("gen_ai.usage.input_tokens", integer(812)))
        .addAttributes(attr("gen_ai.usage.output_tokens", integer(96)))
        .addAttributes(attr("gen_ai.system", text("openai")))
        .build();

    OtlpTraceMapper.Mapped mapped = OtlpTraceMapper.map(request(span));

    assertThat(mapped.rejectedSpans()).isZero();
    assertThat(mapped.errorMessage()).isNull();
    assertThat(mapped.items()).containsExactly(new JsonObject()
        .put("type", "span")
        .put("body", new JsonObject()
            .put("id", CHILD)
            .put("trace_id", TRACE)
            .put("parent_id", ROOT)
            .put("name", "chat gpt-4o")
            .put("kind", "llm")
            .put("start_time", "1732645118123456789")
            .put("end_time", "1732645119000000001")
            .put("status", "ok")
            .put("model", "gpt-4o")
            .put("input_tokens", 812L)
            .put("output_tokens", 96L)
            .put("attributes", new RawJson("{\"gen_ai.system\":\"openai\"}", null))));
  }

  @Test
  @DisplayName("gives a root span a null parent_id, and omits times that are not set")
  void rootSpanAndUnsetTimes() {
    JsonObject body = onlySpan(OtlpTraceMapper.map(request(span(TRACE, ROOT, "", "run").build())));

    assertThat(body.containsKey("parent_id")).isTrue();
    assertThat(body.getValue("parent_id")).isNull();
    assertThat(body.containsKey("start_time")).isFalse();
    assertThat(body.containsKey("end_time")).isFalse();
    assertThat(body.getString("kind")).isEqualTo("other");
    assertThat(body.containsKey("model")).isFalse();
    assertThat(body.containsKey("input_tokens")).isFalse();
  }

  @Test
  @DisplayName("treats an all-zero parent span id as no parent")
  void allZeroParentIsRoot() {
    Span span = span(TRACE, ROOT, "0000000000000000", "run").build();

    OtlpTraceMapper.Mapped mapped = OtlpTraceMapper.map(request(span));

    assertThat(onlySpan(mapped).getValue("parent_id")).isNull();
    assertThat(traceItems(mapped)).hasSize(1);
  }

  @Test
  @DisplayName("prints timestamps beyond the signed 64-bit range as unsigned decimals")
  void unsignedNanos() {
    Span span = span(TRACE, ROOT, "", "run").setStartTimeUnixNano(-1L).build();

    assertThat(onlySpan(OtlpTraceMapper.map(request(span))).getString("start_time"))
        .isEqualTo("18446744073709551615");
  }

  @Test
  @DisplayName("maps an ERROR status with its message, and anything else to ok without one")
  void statuses() {
    Span failed = span(TRACE, CHILD, ROOT, "call")
        .setStatus(Status.newBuilder().setCode(StatusCode.STATUS_CODE_ERROR).setMessage("timeout"))
        .build();
    Span fine = span(TRACE, "00000000000000aa", ROOT, "call")
        .setStatus(Status.newBuilder().setCode(StatusCode.STATUS_CODE_OK).setMessage("ignored"))
        .build();

    List<JsonObject> spans = spanItems(OtlpTraceMapper.map(request(failed, fine)));

    assertThat(spans.get(0).getString("status")).isEqualTo("error");
    assertThat(spans.get(0).getString("status_message")).isEqualTo("timeout");
    assertThat(spans.get(1).getString("status")).isEqualTo("ok");
    assertThat(spans.get(1).containsKey("status_message")).isFalse();
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
      "chat, llm", "text_completion, llm", "generate_content, llm", "embeddings, embedding",
      "execute_tool, tool", "invoke_agent, agent", "create_agent, agent", "Chat, llm",
      "rerank, other", "'', other"})
  @DisplayName("derives the span kind from gen_ai.operation.name")
  void kindTable(String operation, String kind) {
    Span span = span(TRACE, CHILD, ROOT, "op")
        .addAttributes(attr("gen_ai.operation.name", text(operation)))
        .build();

    JsonObject body = onlySpan(OtlpTraceMapper.map(request(span)));

    assertThat(body.getString("kind")).isEqualTo(kind);
    assertThat(attributes(body).containsKey("gen_ai.operation.name")).isFalse();
  }

  @Test
  @DisplayName("falls back to the response model, keeping it as an attribute when the request model wins")
  void modelFallback() {
    Span onlyResponse = span(TRACE, CHILD, ROOT, "a")
        .addAttributes(attr("gen_ai.response.model", text("gpt-4o-2024-08-06")))
        .build();
    Span both = span(TRACE, "00000000000000bb", ROOT, "b")
        .addAttributes(attr("gen_ai.request.model", text("gpt-4o")))
        .addAttributes(attr("gen_ai.response.model", text("gpt-4o-2024-08-06")))
        .build();

    List<JsonObject> spans = spanItems(OtlpTraceMapper.map(request(onlyResponse, both)));

    assertThat(spans.get(0).getString("model")).isEqualTo("gpt-4o-2024-08-06");
    assertThat(attributes(spans.get(0))).isEqualTo(new JsonObject());
    assertThat(spans.get(1).getString("model")).isEqualTo("gpt-4o");
    assertThat(attributes(spans.get(1)))
        .isEqualTo(new JsonObject().put("gen_ai.response.model", "gpt-4o-2024-08-06"));
  }

  @Test
  @DisplayName("reads token counts from the older prompt/completion names and from doubles or numeric strings")
  void tokenFallbacks() {
    Span older = span(TRACE, CHILD, ROOT, "a")
        .addAttributes(attr("gen_ai.usage.prompt_tokens", number(812.0)))
        .addAttributes(attr("gen_ai.usage.completion_tokens", text("96")))
        .build();
    Span newerWins = span(TRACE, "00000000000000bb", ROOT, "b")
        .addAttributes(attr("gen_ai.usage.input_tokens", text(" 10 ")))
        .addAttributes(attr("gen_ai.usage.prompt_tokens", integer(99)))
        .build();
    Span notCounts = span(TRACE, "00000000000000cc", ROOT, "c")
        .addAttributes(attr("gen_ai.usage.input_tokens", number(1.5)))
        .addAttributes(attr("gen_ai.usage.output_tokens", text("many")))
        .build();

    List<JsonObject> spans = spanItems(OtlpTraceMapper.map(request(older, newerWins, notCounts)));

    assertThat(spans.get(0).getLong("input_tokens")).isEqualTo(812L);
    assertThat(spans.get(0).getLong("output_tokens")).isEqualTo(96L);
    assertThat(attributes(spans.get(0))).isEqualTo(new JsonObject());
    assertThat(spans.get(1).getLong("input_tokens")).isEqualTo(10L);
    assertThat(attributes(spans.get(1)))
        .isEqualTo(new JsonObject().put("gen_ai.usage.prompt_tokens", 99L));
    assertThat(spans.get(2).containsKey("input_tokens")).isFalse();
    assertThat(spans.get(2).containsKey("output_tokens")).isFalse();
    assertThat(attributes(spans.get(2))).isEqualTo(new JsonObject()
        .put("gen_ai.usage.input_tokens", 1.5)
        .put("gen_ai.usage.output_tokens", "many"));
  }

  @Test
  @DisplayName("merges resource attributes under span attributes, which win on the same key")
  void resourceAttributesMerged() {
    Span span = span(TRACE, CHILD, ROOT, "a")
        .addAttributes(attr("deployment.environment", text("staging")))
        .addAttributes(attr("gen_ai.system", text("openai")))
        .build();
    ResourceSpans resourceSpans = ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder()
            .addAttributes(attr("service.name", text("chatbot")))
            .addAttributes(attr("deployment.environment", text("prod"))))
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(span))
        .build();

    JsonObject body = onlySpan(OtlpTraceMapper.map(
        ExportTraceServiceRequest.newBuilder().addResourceSpans(resourceSpans).build()));

    assertThat(attributes(body)).isEqualTo(new JsonObject()
        .put("service.name", "chatbot")
        .put("deployment.environment", "staging")
        .put("gen_ai.system", "openai"));
  }

  @Test
  @DisplayName("turns every kind of attribute value into its JSON counterpart")
  void attributeValueTypes() {
    AnyValue list = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
        .addValues(text("a")).addValues(integer(2)).addValues(AnyValue.getDefaultInstance()))
        .build();
    AnyValue map = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
        .addValues(attr("nested", AnyValue.newBuilder().setBoolValue(true).build())))
        .build();
    Span span = span(TRACE, CHILD, ROOT, "a")
        .addAttributes(attr("s", text("x")))
        .addAttributes(attr("b", AnyValue.newBuilder().setBoolValue(false).build()))
        .addAttributes(attr("i", integer(Long.MAX_VALUE)))
        .addAttributes(attr("d", number(0.25)))
        .addAttributes(attr("nan", number(Double.NaN)))
        .addAttributes(attr("list", list))
        .addAttributes(attr("map", map))
        .addAttributes(attr("bytes", AnyValue.newBuilder()
            .setBytesValue(ByteString.copyFrom(new byte[] {1, 2, (byte) 0xff})).build()))
        .addAttributes(attr("empty", AnyValue.getDefaultInstance()))
        .build();

    JsonObject body = onlySpan(OtlpTraceMapper.map(request(span)));

    assertThat(attributes(body)).isEqualTo(new JsonObject()
        .put("s", "x")
        .put("b", false)
        .put("i", Long.MAX_VALUE)
        .put("d", 0.25)
        .put("nan", "NaN")
        .put("list", new JsonArray().add("a").add(2L).addNull())
        .put("map", new JsonObject().put("nested", true))
        .put("bytes", "AQL/")
        .putNull("empty"));
  }

  @Test
  @DisplayName("puts one trace item per trace with a root span before all span items")
  void traceItemFromRoot() {
    Span root = span(TRACE, ROOT, "", "agent run")
        .setStartTimeUnixNano(1_000L)
        .setEndTimeUnixNano(2_000L)
        .setStatus(Status.newBuilder().setCode(StatusCode.STATUS_CODE_ERROR).setMessage("boom"))
        .build();
    Span child = span(TRACE, CHILD, ROOT, "llm").build();

    List<JsonObject> items = OtlpTraceMapper.map(request(child, root)).items();

    assertThat(items).extracting(i -> i.getString("type")).containsExactly("trace", "span", "span");
    assertThat(items.get(0).getJsonObject("body")).isEqualTo(new JsonObject()
        .put("id", TRACE)
        .put("name", "agent run")
        .put("start_time", "1000")
        .put("end_time", "2000")
        .put("status", "error"));
  }

  @Test
  @DisplayName("leaves out the trace status when the root span is not an error")
  void okRootHasNoTraceStatus() {
    Span root = span(TRACE, ROOT, "", "run").build();

    assertThat(traceItems(OtlpTraceMapper.map(request(root))))
        .containsExactly(new JsonObject().put("id", TRACE).put("name", "run"));
  }

  @Test
  @DisplayName("takes user and session ids from span or resource attributes, even without a root span")
  void userAndSessionWithoutRoot() {
    Span child = span(TRACE, CHILD, ROOT, "llm")
        .addAttributes(attr("session.id", text("s-1")))
        .addAttributes(attr("keep", text("me")))
        .build();
    ResourceSpans resourceSpans = ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attr("user.id", integer(42))))
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(child))
        .build();

    OtlpTraceMapper.Mapped mapped = OtlpTraceMapper.map(
        ExportTraceServiceRequest.newBuilder().addResourceSpans(resourceSpans).build());

    assertThat(traceItems(mapped)).containsExactly(new JsonObject()
        .put("id", TRACE).put("user_id", "42").put("session_id", "s-1"));
    assertThat(attributes(spanItems(mapped).get(0)))
        .isEqualTo(new JsonObject().put("keep", "me"));
  }

  @Test
  @DisplayName("keeps a user id that differs from the trace's first as an attribute of its span")
  void conflictingUserIds() {
    Span first = span(TRACE, ROOT, "", "root").addAttributes(attr("user.id", text("alice"))).build();
    Span same = span(TRACE, CHILD, ROOT, "a").addAttributes(attr("user.id", text("alice"))).build();
    Span other = span(TRACE, "eee19b7ec3c1b175", ROOT, "b")
        .addAttributes(attr("user.id", text("bob"))).addAttributes(attr("session.id", text("s"))).build();

    OtlpTraceMapper.Mapped mapped = OtlpTraceMapper.map(request(first, same, other));

    assertThat(traceItems(mapped).get(0).getString("user_id")).isEqualTo("alice");
    assertThat(traceItems(mapped).get(0).getString("session_id")).isEqualTo("s");
    assertThat(attributes(spanItems(mapped).get(1))).isEqualTo(new JsonObject());
    assertThat(attributes(spanItems(mapped).get(2))).isEqualTo(new JsonObject().put("user.id", "bob"));
  }

  @Test
  @DisplayName("makes no trace item for a trace it knows nothing about beyond its id")
  void noTraceItemForBareChildren() {
    Span child = span(TRACE, CHILD, ROOT, "x").build();

    OtlpTraceMapper.Mapped mapped = OtlpTraceMapper.map(request(child));

    assertThat(traceItems(mapped)).isEmpty();
    assertThat(spanItems(mapped)).hasSize(1);
  }

  @Test
  @DisplayName("rejects and counts spans with a malformed or all-zero trace or span id")
  void invalidIdsRejected() {
    Span good = span(TRACE, ROOT, "", "good").build();
    Span shortTrace = span("5b8efff798038103", CHILD, ROOT, "x").build();
    Span zeroTrace = span("00000000000000000000000000000000", CHILD, ROOT, "x").build();
    Span noSpanId = span(TRACE, "", ROOT, "x").build();
    Span zeroSpan = span("aa8efff798038103d269b633813fc60c", "0000000000000000", "", "x").build();

    OtlpTraceMapper.Mapped mapped =
        OtlpTraceMapper.map(request(shortTrace, good, zeroTrace, noSpanId, zeroSpan));

    assertThat(mapped.rejectedSpans()).isEqualTo(4);
    assertThat(mapped.errorMessage())
        .isEqualTo("4 spans rejected: invalid trace_id (2), invalid span_id (2)");
    assertThat(traceItems(mapped)).extracting(t -> t.getString("id")).containsExactly(TRACE);
    assertThat(spanItems(mapped)).extracting(s -> s.getString("name")).containsExactly("good");
  }

  @Test
  @DisplayName("words the error message for a single rejected span")
  void singleRejection() {
    Span shortSpanId = span(TRACE, "0102", "", "x").build();

    OtlpTraceMapper.Mapped mapped = OtlpTraceMapper.map(request(shortSpanId));

    assertThat(mapped.items()).isEmpty();
    assertThat(mapped.errorMessage()).isEqualTo("1 span rejected: invalid span_id");
  }

  // --- helpers -----------------------------------------------------------------------------

  static Span.Builder span(String traceId, String spanId, String parentId, String name) {
    return Span.newBuilder()
        .setTraceId(bytes(traceId))
        .setSpanId(bytes(spanId))
        .setParentSpanId(bytes(parentId))
        .setName(name);
  }

  static ExportTraceServiceRequest request(Span... spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans))))
        .build();
  }

  static ByteString bytes(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  static KeyValue attr(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  static AnyValue text(String value) {
    return AnyValue.newBuilder().setStringValue(value).build();
  }

  static AnyValue integer(long value) {
    return AnyValue.newBuilder().setIntValue(value).build();
  }

  static AnyValue number(double value) {
    return AnyValue.newBuilder().setDoubleValue(value).build();
  }

  static List<JsonObject> spanItems(OtlpTraceMapper.Mapped mapped) {
    return bodiesOf(mapped, "span");
  }

  static List<JsonObject> traceItems(OtlpTraceMapper.Mapped mapped) {
    return bodiesOf(mapped, "trace");
  }

  private static List<JsonObject> bodiesOf(OtlpTraceMapper.Mapped mapped, String type) {
    return mapped.items().stream()
        .filter(item -> type.equals(item.getString("type")))
        .map(item -> item.getJsonObject("body"))
        .toList();
  }

  private static JsonObject onlySpan(OtlpTraceMapper.Mapped mapped) {
    List<JsonObject> spans = spanItems(mapped);
    assertThat(spans).hasSize(1);
    return spans.get(0);
  }

  /** The attributes of a mapped span body, which carries them as the JSON text to store. */
  private static JsonObject attributes(JsonObject body) {
    return new JsonObject(((RawJson) body.getValue("attributes")).text());
  }
}
