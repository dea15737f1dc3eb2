package dev.sextant.rollups;

import static dev.sextant.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Await;
import dev.sextant.support.TestInfra;
import dev.sextant.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Rebuilding a project's roll-ups")
class RollupRebuildTest {

  private static final String ADMIN = "admin-secret-rollups";

  private static Response rebuild(ApiClient api, String project, String token) {
    HttpRequest.Builder b = api.request("/api/v1/admin/projects/" + project + "/rollups/rebuild")
        .POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return api.send(b.build());
  }

  private static long count(ApiClient api, String key, String groupBy) {
    return api.get("/api/v1/traces/stats?group_by=" + groupBy, key).data().stream()
        .mapToLong(o -> ((JsonObject) o).getLong("trace_count")).sum();
  }

  @Test
  @DisplayName("folds rows loaded without the API into the stats and the dashboard; admin only")
  void rowsLoadedWithoutTheApi() throws SQLException {
    try (TestServer server = TestServer.start(Map.of("SEXTANT_ADMIN_TOKEN", ADMIN))) {
      ApiClient api = server.client;
      String key = api.newProjectKey();
      String project = api.get("/api/v1/project", key).json().getString("id");
      // 300 traces of 2 spans over the last 3 days, written straight into the tables: no marks
      try (Connection conn = TestInfra.jdbc(server.databaseUrl()); Statement st = conn.createStatement()) {
        st.execute("""
            INSERT INTO traces (project_id, id, name, user_id, release, start_time, end_time,
                                span_count, input_tokens, output_tokens, total_cost, span_start,
                                span_end, sort_time, is_error)
            SELECT '%1$s', 'loaded-' || t, 'name-' || t %% 3, 'user-' || t %% 7, '1.' || t %% 2,
                   ts, ts + interval '250 milliseconds', 2, 10, 1, 0.01, ts,
                   ts + interval '250 milliseconds', ts, t %% 10 = 0
              FROM (SELECT t, now() - t * interval '14 minutes' AS ts FROM generate_series(1, 300) t) g
            """.formatted(project));
        st.execute("""
            INSERT INTO spans (project_id, trace_id, id, name, start_time, end_time, model,
                               input_tokens, output_tokens, cost_usd)
            SELECT project_id, id, 's' || s, 'call', sort_time, sort_time + interval '100 milliseconds',
                   'model-' || s, 5, 1, 0.005
              FROM traces CROSS JOIN generate_series(1, 2) s WHERE project_id = '%1$s'
            """.formatted(project));
      }
      // no marks: the roll-ups know nothing of them
      assertThat(count(api, key, "none")).isZero();

      assertProblem(rebuild(api, project, null), 401);
      assertProblem(rebuild(api, project, key), 401);
      assertProblem(rebuild(api, "00000000-0000-7000-8000-000000000999", ADMIN), 404);
      assertProblem(rebuild(api, "not-a-uuid", ADMIN), 404);
      assertThat(count(api, key, "none")).isZero();

      Response r = rebuild(api, project, ADMIN);
      assertThat(r.status()).as(r.body()).isEqualTo(202);
      assertThat(r.json().getInteger("minutes_marked")).isEqualTo(300);
      Await.until(Duration.ofSeconds(60), () -> count(api, key, "none") == 300
          && count(api, key, "model") == 600 && count(api, key, "user_id") == 300,
          "the stats to count the loaded rows");
      Await.until(Duration.ofSeconds(60), () -> api.get("/api/v1/dashboard?window=7d", key).json()
          .getJsonObject("totals").getLong("traces") == 300, "the dashboard to count them");
    }
  }
}
