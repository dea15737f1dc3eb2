package dev.sextant.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.sextant.validation.RawJson;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("OTLP attributes written as JSON text")
class OtlpAttributesJsonTest {

  private static AnyValue text(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  private static RawJson json(String key, AnyValue value) {
    Map<String, AnyValue> attributes = new LinkedHashMap<>();
    attributes.put(key, value);
    return OtlpAttributesJson.of(attributes);
  }

  /** {@code value} nested in kvlists, {@code levels} objects deep counting the attributes' own. */
  private static AnyValue nested(int levels) {
    AnyValue value = AnyValue.newBuilder().setIntValue(1).build();
    for (int i = 1; i < levels; i++) {
      value = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
          .addValues(KeyValue.newBuilder().setKey("k").setValue(value))).build();
    }
    return value;
  }

  @Test
  @DisplayName("writes every kind of value as the JSON it reads back as")
  void everyKind() {
    Map<String, AnyValue> attributes = new LinkedHashMap<>();
    attributes.put("s", text("quote \" backslash \\ newline \n tab \t bell \u0007 é \ud83d\ude00"));
    attributes.put("b", AnyValue.newBuilder().setBoolValue(true).build());
    attributes.put("i", AnyValue.newBuilder().setIntValue(-9007199254740993L).build());
    attributes.put("d", AnyValue.newBuilder().setDoubleValue(0.1).build());
    attributes.put("e", AnyValue.newBuilder().setDoubleValue(1e300).build());
    attributes.put("nan", AnyValue.newBuilder().setDoubleValue(Double.NaN).build());
    attributes.put("inf", AnyValue.newBuilder().setDoubleValue(Double.NEGATIVE_INFINITY).build());
    attributes.put("bytes", AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {1, 2, (byte) 255})).build());
    attributes.put("a", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
        .addValues(text("x")).addValues(AnyValue.newBuilder().setIntValue(2))).build());
    attributes.put("kv", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
        .addValues(KeyValue.newBuilder().setKey("in\"ner").setValue(text("v")))).build());
    attributes.put("unset", AnyValue.getDefaultInstance());

    RawJson json = OtlpAttributesJson.of(attributes);

    assertThat(json.problem()).isNull();
    assertThat(json.isObject()).isTrue();
    assertThat(new JsonObject(json.text())).isEqualTo(new JsonObject()
        .put("s", "quote \" backslash \\ newline \n tab \t bell \u0007 é \ud83d\ude00")
        .put("b", true).put("i", -9007199254740993L).put("d", 0.1).put("e", 1e300)
        .put("nan", "NaN").put("inf", "-Infinity").put("bytes", "AQL/")
        .put("a", new JsonArray().add("x").add(2))
        .put("kv", new JsonObject().put("in\"ner", "v"))
        .putNull("unset"));
  }

  @Test
  @DisplayName("notes what PostgreSQL could not store: a NUL, half of a surrogate pair, nesting past 64 levels")
  void unstorable() {
    assertThat(json("k", text("a\u0000b")).problem()).isEqualTo("must not contain NUL characters");
    assertThat(json("k\u0000", text("v")).problem()).isEqualTo("must not contain NUL characters");
    assertThat(json("k", text("a\ud800")).problem())
        .isEqualTo("must be valid Unicode: it holds half of a surrogate pair");
    assertThat(json("k", text("\ude00a")).problem())
        .isEqualTo("must be valid Unicode: it holds half of a surrogate pair");
    assertThat(json("k", nested(64)).problem()).isNull();
    assertThat(json("k", nested(65)).problem()).isEqualTo("must be nested at most 64 levels deep");
  }
}
