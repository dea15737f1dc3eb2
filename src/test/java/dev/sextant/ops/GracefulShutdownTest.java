package dev.sextant.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.support.ApiClient;
import dev.sextant.support.Await;
import dev.sextant.support.TestServer;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A stopping instance")
class GracefulShutdownTest {

  @Test
  @DisplayName("turns unready first, keeps serving while the load balancer notices, then stops accepting")
  void drains() throws Exception {
    TestServer server = TestServer.start(Map.of("SEXTANT_HTTP_DRAIN_DELAY_MS", "1500"));
    ApiClient api = server.client;
    assertThat(api.get("/health/ready", null).status()).isEqualTo(200);
    assertThat(api.get("/metrics", null).body()).contains("\nsextant_ready 1.0\n");

    Future<Void> stopped = server.app().stop();
    Await.until(Duration.ofSeconds(5), () -> api.get("/health/ready", null).status() == 503,
        "readiness to turn 503");
    assertThat(api.get("/health/ready", null).json().getBoolean("draining")).isTrue();
    assertThat(api.get("/metrics", null).body()).contains("\nsextant_ready 0.0\n");
    // still answering real requests during the drain delay
    assertThat(api.get("/health/live", null).status()).isEqualTo(200);
    assertThat(api.post("/api/v1/auth/login", null,
        new io.vertx.core.json.JsonObject().put("email", "x@y.zz").put("password", "nope nope!"))
        .status()).isEqualTo(401);

    stopped.await(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThatThrownBy(() -> api.get("/health/live", null)).isInstanceOf(java.io.UncheckedIOException.class);
  }
}
