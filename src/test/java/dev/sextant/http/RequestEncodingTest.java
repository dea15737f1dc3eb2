package dev.sextant.http;

import static dev.sextant.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Injected;
import dev.sextant.support.ServerExtension;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A compressed request body")
class RequestEncodingTest {

  private static final int LIMIT = 4096;

  @RegisterExtension
  static final ServerExtension extension =
      ServerExtension.withEnv(Map.of("SEXTANT_HTTP_BODY_LIMIT_BYTES", String.valueOf(LIMIT)));

  @Injected private static ApiClient api;

  @Test
  @DisplayName("labelled gzip but sent plain gets a 400 problem with the usual headers")
  void plainLabelledGzip() {
    Response r = signup("gzip", signupJson());
    assertProblem(r, 400);
    assertThat(r.header("X-Process-Time")).matches("\\d+\\.\\d{2}");
  }

  @Test
  @DisplayName("in gzip with a corrupted checksum gets a 400 problem")
  void corruptedGzip() throws IOException {
    byte[] zipped = gzip(signupJson());
    zipped[zipped.length - 8] ^= 0x5a; // the CRC-32 sits in the trailer's first four bytes
    assertProblem(signup("gzip", zipped), 400);
  }

  @Test
  @DisplayName("in gzip that ends early gets a 400 problem")
  void truncatedGzip() throws IOException {
    byte[] zipped = gzip(signupJson());
    assertProblem(signup("gzip", Arrays.copyOf(zipped, zipped.length - 10)), 400);
  }

  @Test
  @DisplayName("in an encoding the server does not decode gets a 415 problem")
  void unsupportedEncoding() throws IOException {
    for (String encoding : new String[] {"br", "zstd", "compress", "gzip, br"}) {
      Response r = signup(encoding, signupJson());
      assertProblem(r, 415);
      assertThat(r.json().getString("detail")).contains("Content-Encoding");
    }
  }

  @Test
  @DisplayName("in gzip, deflate, identity, or gzip twice over, is decoded and taken")
  void supportedEncodings() throws IOException {
    assertThat(signup("GZIP", gzip(signupJson())).status()).isEqualTo(201);
    assertThat(signup("deflate", deflate(signupJson())).status()).isEqualTo(201);
    assertThat(signup("identity", signupJson()).status()).isEqualTo(201);
    assertThat(signup("gzip, gzip", gzip(gzip(signupJson()))).status()).isEqualTo(201);
  }

  @Test
  @DisplayName("is held to the body limit once decoded")
  void limitAfterDecoding() throws IOException {
    String padded = new JsonObject(new String(signupJson())).put("name", "n".repeat(LIMIT)).encode();
    byte[] zipped = gzip(padded.getBytes());
    assertThat(zipped.length).isLessThan(LIMIT);
    assertProblem(signup("gzip", zipped), 413);
  }

  private static Response signup(String encoding, byte[] body) {
    return api.send(api.request("/api/v1/auth/signup")
        .header("Content-Type", "application/json").header("Content-Encoding", encoding)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  private static byte[] signupJson() {
    return new JsonObject().put("email", "enc-" + UUID.randomUUID() + "@example.com")
        .put("password", "long enough pw").put("name", "Encoded").encode().getBytes();
  }

  private static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(plain);
    }
    return bytes.toByteArray();
  }

  private static byte[] deflate(byte[] plain) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DeflaterOutputStream out = new DeflaterOutputStream(bytes)) {
      out.write(plain);
    }
    return bytes.toByteArray();
  }
}
