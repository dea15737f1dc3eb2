package dev.sextant.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Injected;
import dev.sextant.support.ServerExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("Metrics")
@ExtendWith(ServerExtension.class)
class MetricsTest {

  @Injected private static ApiClient api;

  @Test
  @DisplayName("expose an HTTP latency histogram labelled by route template, never by raw path")
  void histogramByRouteTemplate() {
    String session = api.newSession();
    String projectId = api.newProject(session, "metrics");
    assertThat(api.get("/api/v1/projects/" + projectId + "/api-keys", session).status()).isEqualTo(200);

    Response metrics = api.get("/metrics", null);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.header("Content-Type")).startsWith("text/plain");
    String text = metrics.body();
    assertThat(text.lines()
        .filter(l -> l.startsWith("vertx_http_server_response_time_seconds_bucket"))
        .filter(l -> l.contains("route=\"/api/v1/projects/:id/api-keys\"")))
        .isNotEmpty();
    // the latency objective (200 ms) is a bucket boundary of its own, not interpolated
    assertThat(text.lines()
        .filter(l -> l.startsWith("vertx_http_server_response_time_seconds_bucket"))
        .filter(l -> l.contains("route=\"/api/v1/projects/:id/api-keys\"") && l.contains("le=\"0.2\"")))
        .hasSize(1);
    assertThat(text).doesNotContain(projectId);
    assertThat(text).contains("jvm_memory_used_bytes");
  }
}
