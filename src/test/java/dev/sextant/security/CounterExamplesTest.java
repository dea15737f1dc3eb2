package dev.sextant.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Injected;
import dev.sextant.support.ProjectKey;
import dev.sextant.support.ServerExtension;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cases {@link HostileRequestsTest} found wrong, kept as named tests once fixed, each with the
 * smallest request that showed it.
 */
@ExtendWith(ServerExtension.class)
@DisplayName("Hostile requests found wrong once")
class CounterExamplesTest {

  @Injected private static ApiClient api;
  @ProjectKey private static String key;

  private static final String EXPORT = "{\"resourceSpans\":[]}";

  @Test
  @DisplayName("an OTLP/JSON body that claims gzip but is plain gets a google.rpc.Status 400, not problem+json")
  void otlpJsonClaimingGzip() {
    Response r = export("application/json", "gzip", EXPORT.getBytes(StandardCharsets.UTF_8));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    JsonObject status = r.json();
    assertThat(status.getInteger("code")).isEqualTo(3); // INVALID_ARGUMENT
    assertThat(status.getString("message")).isNotBlank();
  }

  @Test
  @DisplayName("an OTLP/protobuf body whose gzip is cut short gets a protobuf google.rpc.Status 400")
  void otlpProtobufCutGzip() throws Exception {
    java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
    try (var gzip = new java.util.zip.GZIPOutputStream(zipped)) {
      gzip.write(new byte[64]);
    }
    byte[] cut = java.util.Arrays.copyOf(zipped.toByteArray(), 12);
    Response r = export("application/x-protobuf", "gzip", cut);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.header("Content-Type")).isEqualTo("application/x-protobuf");
    // field 1 (code, varint) = 3: INVALID_ARGUMENT
    assertThat(r.bytes()[0]).isEqualTo((byte) 0x08);
    assertThat(r.bytes()[1]).isEqualTo((byte) 3);
  }

  @Test
  @DisplayName("an OTLP export refused for another reason keeps its problem+json (unsupported Content-Encoding: 415)")
  void otlpOtherRefusalsStayProblems() {
    Response r = export("application/json", "br", EXPORT.getBytes(StandardCharsets.UTF_8));
    dev.sextant.support.Problems.assertProblem(r, 415);
  }

  @Test
  @DisplayName("an OTLP export sent as a form that does not decode as one gets a google.rpc.Status 400, not problem+json")
  void otlpBodyAsABrokenForm() throws Exception {
    java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
    try (var gzip = new java.util.zip.GZIPOutputStream(zipped)) {
      // HostileRequestsTest's case 19 of seed -8737130034665934337: not a form, yet sent as one
      gzip.write(("{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
          + "\"value\":{\"stringValue\":\"svc\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"s\"},"
          + "\"spans\":[0x10]}]}]}").getBytes(StandardCharsets.UTF_8));
    }
    Response r = export("application/x-www-form-urlencoded", "gzip, identity", zipped.toByteArray());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.header("Content-Type")).isEqualTo("application/x-protobuf");
    assertThat(r.bytes()[0]).isEqualTo((byte) 0x08);
    assertThat(r.bytes()[1]).isEqualTo((byte) 3);
  }

  private static Response export(String contentType, String encoding, byte[] body) {
    return api.send(api.request("/v1/traces").header("Authorization", "Bearer " + key)
        .header("Content-Type", contentType).header("Content-Encoding", encoding)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }
}
