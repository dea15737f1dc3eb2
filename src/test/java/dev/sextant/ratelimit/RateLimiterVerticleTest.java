package dev.sextant.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.common.Digests;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.RawHttp;
import dev.sextant.support.TestServer;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The rate limiter service")
class RateLimiterVerticleTest {

  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  @Test
  @DisplayName("answers at its well-known address, with the counts the HTTP verticles asked it for")
  void answersAtItsAddress() {
    try (TestServer server = TestServer.start(Map.of("SEXTANT_RATELIMIT_DEFAULT_PER_MINUTE", "5"))) {
      String key = server.client.newProjectKey();
      assertThat(server.client.get("/api/v1/project", key).header("X-RateLimit-Remaining")).isEqualTo("4");

      RateDecision asked = ask(server, new RateQuestion("default", subjectOf(key)));

      assertThat(asked.allowed()).isTrue();
      assertThat(asked.limit()).isEqualTo(5);
      assertThat(asked.remaining()).isEqualTo(3);
      assertThat(asked.backend()).isEqualTo("redis");
      assertThat(server.client.get("/api/v1/project", key).header("X-RateLimit-Remaining")).isEqualTo("2");
      // another group is another limit
      assertThat(ask(server, new RateQuestion("auth", "ip:203.0.113.9")).limit()).isEqualTo(1_000_000);
    }
  }

  @Test
  @DisplayName("is one per instance: HTTP verticles on several event loops share its counts, exact from headroom too")
  void sharedByEveryEventLoop() {
    try (TestServer server = TestServer.start(Map.of("SEXTANT_RATELIMIT_DEFAULT_PER_MINUTE", "400",
        "SEXTANT_HTTP_INSTANCES", "4"))) {
      String key = server.client.newProjectKey();
      RawHttp raw = new RawHttp(server.port());
      // a connection per request: the server hands new connections to its HTTP verticles in turn
      for (int i = 0; i < 120; i++) {
        Response r = raw.send("GET /api/v1/project HTTP/1.1\nHost: 127.0.0.1\nAuthorization: Bearer " + key);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("X-RateLimit-Remaining")).as("request %d", i).isEqualTo(Integer.toString(399 - i));
      }
      // most of them were admitted from headroom, which each event loop would count apart; one
      // consumer on the event bus answered them all
      assertThat(server.client.get("/metrics", null).body()).contains("backend=\"headroom\"")
          .contains("\nvertx_eventbus_handlers 1.0\n").contains("\nvertx_eventbus_processed_total ");
    }
  }

  private static RateDecision ask(TestServer server, RateQuestion question) {
    return server.app().vertx().eventBus()
        .<RateDecision>request(RateLimiterVerticle.ADDRESS, question, LOCAL).await().body();
  }

  /** The subject the HTTP verticles ask about for an API key (by hash, never the secret). */
  private static String subjectOf(String apiKey) {
    return "key:" + HexFormat.of().formatHex(Digests.sha256(apiKey), 0, 16);
  }
}
