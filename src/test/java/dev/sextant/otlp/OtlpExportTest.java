package dev.sextant.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Injected;
import dev.sextant.support.ProjectKey;
import dev.sextant.support.ServerExtension;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Field;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("An OpenTelemetry SDK exporting over OTLP/HTTP")
@ExtendWith(ServerExtension.class)
class OtlpExportTest {

  @Injected private static ApiClient api;
  @ProjectKey private static String key;

  private static OtlpHttpSpanExporter exporter(boolean json, String compression) throws Exception {
    OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder()
        .setEndpoint(api.base() + "/v1/traces")
        .addHeader("Authorization", "Bearer " + key)
        .setCompression(compression);
    if (json) {
      // the Java SDK can encode OTLP/JSON but does not expose the switch; flip it on its builder
      Field delegate = OtlpHttpSpanExporterBuilder.class.getDeclaredField("delegate");
      delegate.setAccessible(true);
      Object http = delegate.get(builder);
      Field asJson = http.getClass().getDeclaredField("exportAsJson");
      asJson.setAccessible(true);
      asJson.set(http, true);
    }
    return builder.build();
  }

  @ParameterizedTest(name = "json={0}, compression={1}")
  @CsvSource({"false, none", "false, gzip", "true, none", "true, gzip"})
  @DisplayName("stores nested GenAI spans that read back with the mapped fields")
  void nestedGenAiSpans(boolean json, String compression) throws Exception {
    OtlpHttpSpanExporter exporter = exporter(json, compression);
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "support-bot")))
        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .build();
    Tracer tracer = provider.get("sextant-test");
    String traceId;
    Span root = tracer.spanBuilder("support-agent")
        .setAttribute("gen_ai.operation.name", "invoke_agent")
        .setAttribute("user.id", "user-42")
        .setAttribute("session.id", "session-7")
        .startSpan();
    try (Scope ignored = root.makeCurrent()) {
      traceId = root.getSpanContext().getTraceId();
      Span chat = tracer.spanBuilder("chat gpt-4o")
          .setAttribute("gen_ai.operation.name", "chat")
          .setAttribute("gen_ai.request.model", "gpt-4o")
          .setAttribute("gen_ai.usage.input_tokens", 812L)
          .setAttribute("gen_ai.usage.output_tokens", 96L)
          .setAttribute("gen_ai.system", "openai")
          .startSpan();
      try (Scope inner = chat.makeCurrent()) {
        Span tool = tracer.spanBuilder("execute_tool search")
            .setAttribute("gen_ai.operation.name", "execute_tool")
            .startSpan();
        tool.setStatus(StatusCode.ERROR, "search backend timed out");
        tool.end();
      }
      chat.end();
    }
    root.end();
    CompletableResultCode flushed = provider.forceFlush().join(20, TimeUnit.SECONDS);
    assertThat(flushed.isSuccess()).as("export succeeded").isTrue();
    provider.shutdown().join(10, TimeUnit.SECONDS);

    Response r = api.get("/api/v1/traces/" + traceId, key);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonObject trace = r.json();
    assertThat(trace.getString("name")).isEqualTo("support-agent");
    assertThat(trace.getString("user_id")).isEqualTo("user-42");
    assertThat(trace.getString("session_id")).isEqualTo("session-7");
    assertThat(trace.getString("status")).isEqualTo("error");
    assertThat(trace.getInteger("span_count")).isEqualTo(3);
    assertThat(trace.getLong("input_tokens")).isEqualTo(812);
    assertThat(trace.getLong("output_tokens")).isEqualTo(96);

    Map<String, JsonObject> spans = trace.getJsonArray("spans").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(s -> s.getString("name"), Function.identity()));
    JsonObject rootSpan = spans.get("support-agent");
    JsonObject chatSpan = spans.get("chat gpt-4o");
    JsonObject toolSpan = spans.get("execute_tool search");
    assertThat(rootSpan.getString("kind")).isEqualTo("agent");
    assertThat(rootSpan.getString("parent_id")).isNull();
    assertThat(chatSpan.getString("kind")).isEqualTo("llm");
    assertThat(chatSpan.getString("model")).isEqualTo("gpt-4o");
    assertThat(chatSpan.getString("parent_id")).isEqualTo(rootSpan.getString("id"));
    assertThat(chatSpan.getJsonObject("attributes").getString("gen_ai.system")).isEqualTo("openai");
    assertThat(chatSpan.getJsonObject("attributes").getString("service.name")).isEqualTo("support-bot");
    assertThat(toolSpan.getString("kind")).isEqualTo("tool");
    assertThat(toolSpan.getString("status")).isEqualTo("error");
    assertThat(toolSpan.getString("status_message")).isEqualTo("search backend timed out");
    assertThat(toolSpan.getString("parent_id")).isEqualTo(chatSpan.getString("id"));
    assertThat(rootSpan.getString("start_time")).isEqualTo(trace.getString("start_time"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"application/x-protobuf", "application/json"})
  @DisplayName("answers a malformed body with 400 and a google.rpc.Status in the request's encoding")
  void malformedBody(String contentType) {
    Response r = api.send(api.request("/v1/traces").header("Authorization", "Bearer " + key)
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xff, 0x01, 0x7b, 0x00}))
        .build());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.header("Content-Type")).isEqualTo(contentType);
    if (contentType.equals("application/json")) {
      assertThat(r.json().getInteger("code")).isEqualTo(3);
      assertThat(r.json().getString("message")).isNotBlank();
    } else {
      assertThat(r.bytes()).isNotEmpty();
      assertThat(r.bytes()[0]).isEqualTo((byte) 0x08); // field 1 (code), varint
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"text/plain", "application/xml"})
  @DisplayName("refuses other content types with 415")
  void wrongContentType(String contentType) {
    Response r = api.send(api.request("/v1/traces").header("Authorization", "Bearer " + key)
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString("{}")).build());
    assertThat(r.status()).isEqualTo(415);
  }

  @Test
  @DisplayName("needs a valid API key")
  void needsKey() {
    for (String token : new String[] {null, "sxk_not_a_key"}) {
      HttpRequest.Builder b = api.request("/v1/traces").header("Content-Type", "application/json");
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      Response r = api.send(b.POST(HttpRequest.BodyPublishers.ofString("{}")).build());
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
    }
  }

  @Test
  @DisplayName("counts the spans it could not take in partial_success and stores the rest")
  void partialSuccess() {
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    JsonObject body = new JsonObject().put("resourceSpans", new JsonArray().add(new JsonObject()
        .put("scopeSpans", new JsonArray().add(new JsonObject().put("spans", new JsonArray()
            .add(new JsonObject().put("traceId", traceId).put("spanId", "b7ad6b7169203331")
                .put("name", "fine").put("startTimeUnixNano", "1732645118000000000")
                .put("endTimeUnixNano", "1732645119000000000"))
            .add(new JsonObject().put("traceId", traceId).put("spanId", "b7ad6b7169203332")
                .put("name", "x".repeat(600)))
            .add(new JsonObject().put("traceId", traceId).put("spanId", "0000000000000000")
                .put("name", "zero id")))))));
    Response r = api.send(api.request("/v1/traces").header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonObject partial = r.json().getJsonObject("partialSuccess");
    assertThat(partial.getString("rejectedSpans")).isEqualTo("2");
    assertThat(partial.getString("errorMessage")).isNotBlank();
    Response trace = api.get("/api/v1/traces/" + traceId, key);
    assertThat(trace.json().getJsonArray("spans")).hasSize(1);
    assertThat(trace.json().getDouble("latency_ms")).isEqualTo(1000.0);
  }

  @Test
  @DisplayName("keeps a user.id too long for the trace's field as an attribute; refuses per span a time past 2262 or half a surrogate pair")
  void unfitValues() {
    String traceId = "1af7651916cd43dd8448eb211c80319c";
    String longUser = "u".repeat(600);
    String body = """
        {"resourceSpans":[{"scopeSpans":[{"spans":[
          {"traceId":"%1$s","spanId":"c7ad6b7169203331","name":"root",
           "startTimeUnixNano":"1732645118000000000","endTimeUnixNano":"1732645119000000000",
           "attributes":[{"key":"user.id","value":{"stringValue":"%2$s"}}]},
          {"traceId":"%1$s","spanId":"c7ad6b7169203332","parentSpanId":"c7ad6b7169203331",
           "name":"late","startTimeUnixNano":"9223372036854775813"},
          {"traceId":"%1$s","spanId":"c7ad6b7169203333","parentSpanId":"c7ad6b7169203331",
           "name":"broken","attributes":[{"key":"k","value":{"stringValue":"a\\ud800"}}]}]}]}]}
        """.formatted(traceId, longUser);
    Response r = api.send(api.request("/v1/traces").header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getJsonObject("partialSuccess").getString("rejectedSpans")).isEqualTo("2");
    JsonObject trace = api.get("/api/v1/traces/" + traceId, key).json();
    assertThat(trace.getString("name")).isEqualTo("root");
    assertThat(trace.getString("user_id")).isNull();
    assertThat(trace.getJsonArray("spans")).hasSize(1);
    assertThat(trace.getJsonArray("spans").getJsonObject(0).getJsonObject("attributes").getString("user.id"))
        .isEqualTo(longUser);
  }

  @Test
  @DisplayName("stores a span whose attribute nests 64 levels, and refuses only the span whose nests 65")
  void deepAttributes() throws Exception {
    byte[] traceId = new byte[16];
    traceId[0] = 0x6b;
    traceId[15] = 0x02;
    var spans = io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder();
    for (int levels = 64; levels <= 65; levels++) {
      AnyValue value = AnyValue.newBuilder().setIntValue(levels).build();
      for (int i = 1; i < levels; i++) { // the attributes are level 1, the outermost kvlist level 2
        value = AnyValue.newBuilder().setKvlistValue(io.opentelemetry.proto.common.v1.KeyValueList.newBuilder()
            .addValues(KeyValue.newBuilder().setKey("k").setValue(value))).build();
      }
      spans.addSpans(io.opentelemetry.proto.trace.v1.Span.newBuilder()
          .setTraceId(com.google.protobuf.ByteString.copyFrom(traceId))
          .setSpanId(com.google.protobuf.ByteString.copyFrom(java.nio.ByteBuffer.allocate(8).putLong(levels).array()))
          .setName("deep " + levels)
          .addAttributes(KeyValue.newBuilder().setKey("deep").setValue(value)));
    }
    byte[] body = io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder().addScopeSpans(spans))
        .build().toByteArray();
    Response r = api.send(api.request("/v1/traces").header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    assertThat(r.status()).isEqualTo(200);
    var response = io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse.parseFrom(r.bytes());
    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(response.getPartialSuccess().getErrorMessage()).contains("must be nested at most 64 levels deep");
    JsonArray stored = api.get("/api/v1/traces/6b000000000000000000000000000002", key).json().getJsonArray("spans");
    assertThat(stored).hasSize(1);
    assertThat(stored.getJsonObject(0).getString("name")).isEqualTo("deep 64");
  }

  @Test
  @DisplayName("takes an export larger than one ingest batch (2 500 spans, decoded off the event loop)")
  void largeExport() {
    byte[] traceId = new byte[16];
    traceId[0] = 0x5a;
    traceId[15] = 0x01;
    var spans = io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder();
    for (int i = 1; i <= 2500; i++) {
      byte[] spanId = java.nio.ByteBuffer.allocate(8).putLong(i).array();
      spans.addSpans(io.opentelemetry.proto.trace.v1.Span.newBuilder()
          .setTraceId(com.google.protobuf.ByteString.copyFrom(traceId))
          .setSpanId(com.google.protobuf.ByteString.copyFrom(spanId))
          .setName("step " + i)
          .setStartTimeUnixNano(1_732_645_118_000_000_000L + i)
          .setEndTimeUnixNano(1_732_645_118_000_000_000L + i + 1000));
    }
    byte[] body = io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder().addScopeSpans(spans))
        .build().toByteArray();
    assertThat(body.length).isGreaterThan(64 * 1024);
    Response r = api.send(api.request("/v1/traces").header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bytes()).isEmpty(); // an empty ExportTraceServiceResponse: nothing rejected
    Response trace = api.get("/api/v1/traces/5a000000000000000000000000000001", key);
    assertThat(trace.json().getInteger("span_count")).isEqualTo(2500);
  }
}
