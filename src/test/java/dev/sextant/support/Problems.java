package dev.sextant.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient.Response;
import io.vertx.core.json.JsonObject;

/** Assertions on RFC 9457 problem responses. */
public final class Problems {

  private Problems() {}

  /** The response is a complete problem+json with this status and no internals in it. */
  public static void assertProblem(Response r, int status) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    JsonObject body = r.json();
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("type")).isNotBlank();
    assertThat(body.getString("title")).isNotBlank();
    assertThat(body.getString("detail")).isNotBlank();
    assertThat(body.getString("request_id")).isEqualTo(r.header("X-Request-ID"));
    assertThat(body.getJsonArray("errors")).isNotNull();
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.sextant")
        .doesNotContain("SELECT");
  }
}
