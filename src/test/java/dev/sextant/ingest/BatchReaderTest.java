package dev.sextant.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.validation.RawJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Reading an ingest body in one pass")
class BatchReaderTest {

  private static JsonArray read(String json) {
    return BatchReader.read(json.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonObject body(String bodyJson) {
    JsonArray batch = read("{\"batch\":[{\"type\":\"span\",\"body\":" + bodyJson + "}]}");
    assertThat(batch).isNotNull();
    return batch.getJsonObject(0).getJsonObject("body");
  }

  @Test
  @DisplayName("keeps input, output, metadata and attributes as sent, and reads the rest as JsonObject does")
  void keepsJsonFieldsAsSent() {
    String input = "{ \"messages\" : [ {\"role\":\"user\", \"content\":\"h\\u00e9llo\"} ], \"n\": 1.50 }";
    JsonObject body = body("{\"id\":\"s1\",\"input\":" + input + ",\"output\":[1, 2],"
        + "\"metadata\":{\"a\":true},\"attributes\":{},\"tags\":[\"x\"],\"input_tokens\":12,"
        + "\"cost_usd\":0.5,\"big\":123456789012,\"name\":null}");
    assertThat(body.getValue("input")).isEqualTo(new RawJson(input, null));
    assertThat(body.getValue("output")).isEqualTo(new RawJson("[1, 2]", null));
    assertThat(((RawJson) body.getValue("metadata")).isObject()).isTrue();
    assertThat(body.getValue("attributes")).isEqualTo(new RawJson("{}", null));
    JsonObject general = new JsonObject("{\"id\":\"s1\",\"tags\":[\"x\"],\"input_tokens\":12,"
        + "\"cost_usd\":0.5,\"big\":123456789012,\"name\":null}");
    for (String field : general.fieldNames()) {
      assertThat(body.getValue(field)).as(field).isEqualTo(general.getValue(field));
    }
    assertThat(body.containsKey("name")).isTrue();
  }

  @Test
  @DisplayName("keeps a scalar in a JSON field as a plain value")
  void scalarJsonField() {
    JsonObject body = body("{\"input\":\"just text\",\"output\":42}");
    assertThat(body.getValue("input")).isEqualTo("just text");
    assertThat(body.getValue("output")).isEqualTo(42);
  }

  @Test
  @DisplayName("marks a JSON field PostgreSQL could not store: an escaped NUL, a number beyond a double, nesting past 64 levels")
  void unstorable() {
    assertThat(problem("{\"input\":{\"k\":\"a\\u0000b\"}}")).isEqualTo("must not contain NUL characters");
    assertThat(problem("{\"input\":{\"k\\u0000\":1}}")).isEqualTo("must not contain NUL characters");
    assertThat(problem("{\"input\":[1e400]}")).isEqualTo("must not hold a number beyond the range of a double");
    // an escaped backslash followed by the letters u0000 is no NUL
    assertThat(problem("{\"input\":[\"\\\\u0000\"]}")).isNull();
    assertThat(problem("{\"input\":[\"\\\\\\u0000\"]}")).isEqualTo("must not contain NUL characters");
    assertThat(problem("{\"input\":" + "[".repeat(64) + "]".repeat(64) + "}")).isNull();
    assertThat(problem("{\"input\":" + "[".repeat(65) + "]".repeat(65) + "}"))
        .isEqualTo("must be nested at most 64 levels deep");
  }

  private static String problem(String json) {
    return ((RawJson) body(json).getValue("input")).problem();
  }

  @Test
  @DisplayName("reads a JSON field that escapes a surrogate into maps, to be written out again")
  void surrogateEscape() {
    assertThat(body("{\"input\":{\"k\":\"\\ud83d\\ude00 \\ud800\"}}").getValue("input"))
        .isInstanceOf(JsonObject.class);
  }

  static List<String> otherShapes() {
    return List.of("", "[]", "{\"batch\":{}}", "{\"batch\":[1]}", "{\"batch\":[{}]} x",
        "{\"batch\":[{\"body\":{\"input\":{]}}]}", "{\"batch\":[],\"batch\":[]}", "{\"other\":1}",
        "{\"batch\":[{\"body\":{\"input\":" + "[".repeat(1000) + "]".repeat(1000) + "}}]}");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("otherShapes")
  @DisplayName("leaves any other shape to the general reader")
  void otherShapes(String json) {
    assertThat(read(json)).isNull();
  }

  @Test
  @DisplayName("leaves more than 1000 items to the general reader")
  void tooManyItems() {
    String item = "{\"type\":\"trace\",\"body\":{}}";
    assertThat(read("{\"batch\":[" + String.join(",", java.util.Collections.nCopies(1000, item)) + "]}")).hasSize(1000);
    assertThat(read("{\"batch\":[" + String.join(",", java.util.Collections.nCopies(1001, item)) + "]}")).isNull();
  }
}
