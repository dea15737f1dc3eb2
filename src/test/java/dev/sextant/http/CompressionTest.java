package dev.sextant.http;

import static dev.sextant.support.Batches.span;
import static dev.sextant.support.Batches.trace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Injected;
import dev.sextant.support.ProjectKey;
import dev.sextant.support.ServerExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("Response compression")
@ExtendWith(ServerExtension.class)
class CompressionTest {

  @Injected private static ApiClient api;
  @ProjectKey private static String key;

  @BeforeAll
  static void ingestTraces() {
    JsonArray items = new JsonArray();
    for (int i = 0; i < 200; i++) {
      items.add(trace(new JsonObject().put("name", "compressible trace " + i)));
    }
    for (int i = 0; i < 50; i++) {
      items.add(span(new JsonObject().put("id", "s" + i).put("trace_id", "wide").put("name", "a span of a wide trace " + i)));
    }
    api.post("/api/v1/ingest", key, new JsonObject().put("batch", items));
  }

  @Test
  @DisplayName("gzips a large answer when the client accepts it, decoding to the same JSON")
  void largeIsGzipped() throws Exception {
    Response plain = api.get("/api/v1/traces?limit=200", key);
    Response zipped = api.send(api.request("/api/v1/traces?limit=200").header("Authorization", "Bearer " + key)
        .header("Accept-Encoding", "gzip").GET().build());
    assertThat(plain.header("Content-Encoding")).isNull();
    assertThat(zipped.header("Content-Encoding")).isEqualTo("gzip");
    assertThat(zipped.bytes().length).isLessThan(plain.bytes().length);
    byte[] decoded;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.bytes()))) {
      decoded = in.readAllBytes();
    }
    JsonObject a = new JsonObject(new String(decoded));
    assertThat(a.getJsonArray("data").size()).isEqualTo(200);
    assertThat(a.getJsonArray("data").getJsonObject(0).getString("id"))
        .isEqualTo(plain.json().getJsonArray("data").getJsonObject(0).getString("id"));
  }

  @Test
  @DisplayName("declares Vary: Accept-Encoding on an answer the server compresses, and on the same answer sent plain")
  void varyOnCompressed() {
    Response zipped = api.send(api.request("/api/v1/traces?limit=200").header("Authorization", "Bearer " + key)
        .header("Accept-Encoding", "gzip").GET().build());
    Response plain = api.get("/api/v1/traces?limit=200", key);
    assertThat(zipped.header("Content-Encoding")).isEqualTo("gzip");
    assertThat(zipped.headers().allValues("Vary")).containsExactly("Accept-Encoding");
    assertThat(plain.headers().allValues("Vary")).containsExactly("Accept-Encoding");
  }

  @Test
  @DisplayName("serves a cached answer compressed or not, as each client accepts, with the same JSON")
  void cachedAnswerEitherWay() throws Exception {
    for (int round = 0; round < 2; round++) { // the first read loads and stores, the second hits
      Response zipped = api.send(api.request("/api/v1/traces/wide").header("Authorization", "Bearer " + key)
          .header("Accept-Encoding", "deflate, gzip;q=0.8").GET().build());
      Response refused = api.send(api.request("/api/v1/traces/wide").header("Authorization", "Bearer " + key)
          .header("Accept-Encoding", "gzip;q=0, identity").GET().build());
      Response plain = api.get("/api/v1/traces/wide", key);
      assertThat(zipped.header("Content-Encoding")).isEqualTo("gzip");
      assertThat(zipped.header("Vary")).isEqualTo("Accept-Encoding");
      assertThat(refused.header("Content-Encoding")).isNull();
      assertThat(plain.header("Content-Encoding")).isNull();
      byte[] decoded;
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.bytes()))) {
        decoded = in.readAllBytes();
      }
      assertThat(new JsonObject(new String(decoded))).isEqualTo(plain.json()).isEqualTo(refused.json());
      assertThat(plain.json().getJsonArray("spans")).hasSize(50);
    }
  }

  @Test
  @DisplayName("leaves a small answer uncompressed")
  void smallIsPlain() {
    Response r = api.send(api.request("/health/live").header("Accept-Encoding", "gzip").GET().build());
    assertThat(r.header("Content-Encoding")).isNull();
    assertThat(r.json().getString("status")).isEqualTo("UP");
  }
}
