package dev.sextant.otlp;

import static dev.sextant.otlp.OtlpTraceMapperTest.attr;
import static dev.sextant.otlp.OtlpTraceMapperTest.request;
import static dev.sextant.otlp.OtlpTraceMapperTest.span;
import static dev.sextant.otlp.OtlpTraceMapperTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.validation.RawJson;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The OTLP decoder")
class OtlpDecoderTest {

  /** Shaped like the OTLP spec's examples/trace.json, plus GenAI attributes. */
  static final String OTLP_JSON = """
      {
        "resourceSpans": [{
          "resource": {
            "attributes": [{"key": "service.name", "value": {"stringValue": "chatbot"}}],
            "droppedAttributesCount": 0
          },
          "scopeSpans": [{
            "scope": {"name": "opentelemetry.instrumentation.openai", "version": "0.1"},
            "spans": [{
              "traceId": "5B8EFFF798038103D269B633813FC60C",
              "spanId": "eee19b7ec3c1b174",
              "parentSpanId": "EEE19B7EC3C1B173",
              "name": "chat gpt-4o",
              "startTimeUnixNano": "1732645118123456789",
              "endTimeUnixNano": 1732645119000000000,
              "kind": 3,
              "attributes": [
                {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4o"}},
                {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "812"}},
                {"key": "gen_ai.usage.output_tokens", "value": {"intValue": 96}},
                {"key": "tags", "value": {"arrayValue": {"values": [{"stringValue": "a"}]}}}
              ],
              "links": [
                {"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331"}
              ],
              "status": {"code": 2, "message": "rate limited"},
              "someFutureField": {"anything": [1, 2, 3]}
            }]
          }]
        }]
      }""";

  @Test
  @DisplayName("reads OTLP/JSON with hex ids, camelCase names, string int64s and integer enums")
  void decodesOtlpJson() {
    ExportTraceServiceRequest request = OtlpDecoder.fromJson(Buffer.buffer(OTLP_JSON));

    Span span = request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(hex(span.getTraceId().toByteArray())).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(hex(span.getSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b174");
    assertThat(hex(span.getParentSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b173");
    assertThat(span.getStartTimeUnixNano()).isEqualTo(1732645118123456789L);
    assertThat(span.getEndTimeUnixNano()).isEqualTo(1732645119000000000L);
    assertThat(span.getKind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
    assertThat(span.getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
    assertThat(span.getAttributes(2).getValue().getIntValue()).isEqualTo(812L);
    assertThat(hex(span.getLinks(0).getSpanId().toByteArray())).isEqualTo("b7ad6b7169203331");
  }

  @Test
  @DisplayName("hands the mapper what the OTLP/JSON document says")
  void decodedJsonMaps() {
    OtlpTraceMapper.Mapped mapped =
        OtlpTraceMapper.map(OtlpDecoder.fromJson(Buffer.buffer(OTLP_JSON)));

    JsonObject body = mapped.items().get(0).getJsonObject("body");
    assertThat(body.getString("id")).isEqualTo("eee19b7ec3c1b174");
    assertThat(body.getString("trace_id")).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(body.getString("kind")).isEqualTo("llm");
    assertThat(body.getString("model")).isEqualTo("gpt-4o");
    assertThat(body.getLong("input_tokens")).isEqualTo(812L);
    assertThat(body.getString("status_message")).isEqualTo("rate limited");
    assertThat(attributes(body).getString("service.name")).isEqualTo("chatbot");
  }

  @Test
  @DisplayName("also reads the proto field names (snake_case) and enum names")
  void decodesSnakeCase() {
    String json = """
        {"resource_spans": [{"scope_spans": [{"spans": [{
          "trace_id": "5b8efff798038103d269b633813fc60c",
          "span_id": "eee19b7ec3c1b173",
          "parent_span_id": "",
          "name": "root",
          "start_time_unix_nano": "1000",
          "kind": "SPAN_KIND_SERVER",
          "status": {"code": "STATUS_CODE_OK"},
          "links": [{"trace_id": "0af7651916cd43dd8448eb211c80319c", "span_id": "b7ad6b7169203331"}]
        }]}]}]}""";

    Span span = OtlpDecoder.fromJson(Buffer.buffer(json))
        .getResourceSpans(0).getScopeSpans(0).getSpans(0);

    assertThat(hex(span.getSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b173");
    assertThat(span.getParentSpanId().isEmpty()).isTrue();
    assertThat(span.getStartTimeUnixNano()).isEqualTo(1000L);
    assertThat(span.getKind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
    assertThat(hex(span.getLinks(0).getTraceId().toByteArray()))
        .isEqualTo("0af7651916cd43dd8448eb211c80319c");
  }

  @Test
  @DisplayName("accepts an empty export, in JSON and in protobuf")
  void emptyExports() {
    assertThat(OtlpDecoder.fromJson(Buffer.buffer("{}")).getResourceSpansCount()).isZero();
    assertThat(OtlpDecoder.fromProtobuf(Buffer.buffer()).getResourceSpansCount()).isZero();
  }

  @Test
  @DisplayName("reads protobuf exactly as the SDKs write it")
  void decodesProtobuf() {
    ExportTraceServiceRequest sent = request(
        span("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b173", "", "root")
            .addAttributes(attr("gen_ai.system", text("openai")))
            .build());

    ExportTraceServiceRequest received =
        OtlpDecoder.fromProtobuf(Buffer.buffer(sent.toByteArray()));

    assertThat(received).isEqualTo(sent);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0a", "0aff", "ffffffff", "0a05120312", "not protobuf at all"})
  @DisplayName("refuses malformed protobuf with a decode error")
  void malformedProtobuf(String input) {
    byte[] bytes = input.matches("[0-9a-f]+") ? HexFormat.of().parseHex(input) : input.getBytes();

    assertThatThrownBy(() -> OtlpDecoder.fromProtobuf(Buffer.buffer(bytes)))
        .isInstanceOf(OtlpDecodeException.class)
        .hasMessage("body is not a valid OTLP/protobuf traces request");
  }

  @Test
  @DisplayName("refuses a JSON body that is not UTF-8, rather than decode it leniently")
  void jsonNotUtf8() {
    byte[] json = "{\"resourceSpans\": [], \"x\": \"??\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    json[json.length - 4] = (byte) 0xc0; // C0 AF: an overlong "/"
    json[json.length - 3] = (byte) 0xaf;

    assertThatThrownBy(() -> OtlpDecoder.fromJson(Buffer.buffer(json)))
        .isInstanceOf(OtlpDecodeException.class)
        .hasMessage("body is not valid UTF-8");
  }

  @Test
  @DisplayName("refuses protobuf nested past the recursion limit with a decode error")
  void deepProtobuf() {
    AnyValue value = text("bottom");
    for (int i = 0; i < 130; i++) { // each level is two messages (AnyValue, ArrayValue): past 256
      value = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(value)).build();
    }
    byte[] bytes = request(
        span("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b173", "", "deep")
            .addAttributes(attr("deep", value))
            .build())
        .toByteArray();

    assertThatThrownBy(() -> OtlpDecoder.fromProtobuf(Buffer.buffer(bytes)))
        .isInstanceOf(OtlpDecodeException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "   ", "{", "[]", "\"text\"", "null", "{\"resourceSpans\": \"nope\"}",
      "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"startTimeUnixNano\": \"soon\"}]}]}]}",
      "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"name\": {\"a\": 1}}]}]}]}",
      "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": 12}]}]}]}",
      "{\"a\": 1} trailing"})
  @DisplayName("refuses malformed JSON with a decode error that shows no internals")
  void malformedJson(String input) {
    assertThatThrownBy(() -> OtlpDecoder.fromJson(Buffer.buffer(input)))
        .isInstanceOf(OtlpDecodeException.class)
        .message()
        .doesNotContain("Exception", "java.", "com.", "io.vertx", "\n");
  }

  @Test
  @DisplayName("names the field when an id is not a hex string")
  void badHexId() {
    String json = """
        {"resourceSpans": [{"scopeSpans": [{"spans": [
          {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b173"},
          {"traceId": "W4777teYA4E=", "spanId": "eee19b7ec3c1b174"}
        ]}]}]}""";

    assertThatThrownBy(() -> OtlpDecoder.fromJson(Buffer.buffer(json)))
        .isInstanceOf(OtlpDecodeException.class)
        .hasMessage("resourceSpans[0].scopeSpans[0].spans[1].traceId is not a hex string");
  }

  @Test
  @DisplayName("passes ids of the wrong length through, for the mapper to reject per span")
  void wrongLengthHexIdPassesDecoding() {
    String json = """
        {"resourceSpans": [{"scopeSpans": [{"spans": [
          {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b173"},
          {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee1"}
        ]}]}]}""";

    OtlpTraceMapper.Mapped mapped = OtlpTraceMapper.map(OtlpDecoder.fromJson(Buffer.buffer(json)));

    assertThat(mapped.rejectedSpans()).isEqualTo(1);
    assertThat(mapped.errorMessage()).isEqualTo("1 span rejected: invalid span_id");
  }

  @Test
  @DisplayName("refuses 100k nested arrays in an attribute value with a decode error, not a stack overflow")
  void deeplyNestedJson() {
    int depth = 100_000;
    String json = "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"attributes\": "
        + "[{\"key\": \"k\", \"value\": {\"arrayValue\": {\"values\": "
        + "[".repeat(depth) + "]".repeat(depth) + "}}}]}]}]}]}";

    assertThatThrownBy(() -> OtlpDecoder.fromJson(Buffer.buffer(json)))
        .isInstanceOf(OtlpDecodeException.class)
        .hasMessage("JSON is nested deeper than 256 levels");
  }

  @Test
  @DisplayName("refuses schema nesting past the protobuf recursion limit that the depth scan lets through")
  void nestedJustUnderTheScanLimit() {
    String value = "{\"stringValue\": \"bottom\"}";
    for (int i = 0; i < 80; i++) { // two messages a level: past JsonFormat's limit of 100
      value = "{\"arrayValue\": {\"values\": [" + value + "]}}";
    }
    String json = "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"attributes\": "
        + "[{\"key\": \"k\", \"value\": " + value + "}]}]}]}]}";

    assertThatThrownBy(() -> OtlpDecoder.fromJson(Buffer.buffer(json)))
        .isInstanceOf(OtlpDecodeException.class)
        .hasMessage("body does not match the OTLP/JSON traces request schema");
  }

  @Test
  @DisplayName("refuses a JSON body of more values than any real export has, before building a tree")
  void tooManyJsonValues() {
    String json = "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{}"
        + ",{}".repeat(300_000) + "]}]}]}";

    assertThatThrownBy(() -> OtlpDecoder.fromJson(Buffer.buffer(json)))
        .isInstanceOf(OtlpDecodeException.class)
        .hasMessage("JSON has more than 500000 values");
  }

  @Test
  @DisplayName("refuses a protobuf body of more messages than any real export has, before parsing")
  void tooManyProtobufMessages() {
    byte[] emptySpans = new byte[2 * 600_000];
    for (int i = 0; i < emptySpans.length; i += 2) {
      emptySpans[i] = 0x12; // field 2 (spans), length-delimited, length 0
    }
    byte[] body = wrap(1, wrap(2, emptySpans)); // resource_spans { scope_spans { spans... } }

    assertThatThrownBy(() -> OtlpDecoder.fromProtobuf(Buffer.buffer(body)))
        .isInstanceOf(OtlpDecodeException.class)
        .hasMessage("protobuf body has more than 500000 messages");
  }

  @ParameterizedTest
  @ValueSource(ints = {0x0B, 0x7B, 0x0A})
  @DisplayName("refuses megabytes of nested protobuf groups or messages with a decode error")
  void nestedProtobufBombs(int tag) {
    byte[] body = new byte[5 * 1024 * 1024];
    Arrays.fill(body, (byte) tag); // 0x0B, 0x7B: start-group tags; 0x0A: message of length 10

    assertThatThrownBy(() -> OtlpDecoder.fromProtobuf(Buffer.buffer(body)))
        .isInstanceOf(OtlpDecodeException.class);
  }

  @Test
  @DisplayName("ignores brackets inside strings when measuring nesting")
  void bracketsInStrings() {
    String json = "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"name\": \""
        + "[{".repeat(1000) + "\\\"]\"}]}]}]}";

    Span span = OtlpDecoder.fromJson(Buffer.buffer(json))
        .getResourceSpans(0).getScopeSpans(0).getSpans(0);

    assertThat(span.getName()).startsWith("[{[{").endsWith("\"]");
  }

  /** A length-delimited protobuf field: tag, varint length, bytes. */
  private static byte[] wrap(int field, byte[] inner) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(field << 3 | 2);
    for (long n = inner.length; ; n >>>= 7) {
      if (n < 0x80) {
        out.write((int) n);
        break;
      }
      out.write((int) (n & 0x7F | 0x80));
    }
    out.writeBytes(inner);
    return out.toByteArray();
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /** The attributes of a mapped span body, which carries them as the JSON text to store. */
  private static JsonObject attributes(JsonObject body) {
    return new JsonObject(((RawJson) body.getValue("attributes")).text());
  }
}
