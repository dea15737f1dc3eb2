package dev.sextant.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.PlanFixture;
import dev.sextant.support.TestInfra;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("On 200 000 done jobs, the worker's statements and the admin list use their indexes (generic plans)")
class JobPlanTest {

  private static String url;

  @BeforeAll
  static void seed() throws SQLException {
    url = TestInfra.newMigratedDatabase();
    try (Connection conn = TestInfra.jdbc(url); Statement st = conn.createStatement()) {
      st.execute("""
          INSERT INTO jobs (id, kind, payload, status, attempts, max_attempts, run_at, created_at,
                            updated_at, finished_at)
          SELECT gen_random_uuid(), 'kind-' || (g % 5), '{}', 'done', 1, 5, ts, ts, ts, ts
            FROM (SELECT g, timestamptz '2026-10-01' + g * interval '1 second' AS ts
                    FROM generate_series(1, 200000) g) s""");
      st.execute("""
          INSERT INTO jobs (id, kind, payload, status, attempts, max_attempts, run_at, created_at,
                            updated_at)
          SELECT gen_random_uuid(), 'kind-' || (g % 5),
                 '{}', (ARRAY['queued', 'failed', 'dead', 'running'])[1 + g % 4], 0, 5, now(), now(), now()
            FROM generate_series(1, 2000) g""");
      st.execute("VACUUM ANALYZE jobs");
    }
  }

  private static final String ATTEMPT_IDS = "ARRAY[gen_random_uuid(), gen_random_uuid()]";
  private static final String ATTEMPTS = "ARRAY[1, 2]";

  private static JsonObject genericPlan(String sql, String... params) throws SQLException {
    return PlanFixture.genericPlanOn(url, sql, params);
  }

  private static List<String> scans(JsonObject plan) {
    List<String> found = new ArrayList<>();
    PlanFixture.walk(plan, node -> {
      if ("jobs".equals(node.getString("Relation Name"))
          // a bitmap index scan names its index, not its table
          || "Bitmap Index Scan".equals(node.getString("Node Type"))) {
        found.add(node.getString("Node Type") + ":" + node.getString("Index Name"));
      }
    });
    return found;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"claim", "claim, completing", "complete", "renew", "fail", "list",
      "list, next page"})
  void usesIndex(String statement) throws SQLException {
    JsonObject plan = switch (statement) {
      case "claim" -> genericPlan(JobSql.CLAIM, "'kind-1'", "32", "60", "'{}'", "'{}'");
      case "claim, completing" -> genericPlan(JobSql.CLAIM, "'kind-1'", "32", "60", ATTEMPT_IDS, ATTEMPTS);
      case "complete" -> genericPlan(JobSql.COMPLETE, ATTEMPT_IDS, ATTEMPTS);
      case "renew" -> genericPlan(JobSql.RENEW, ATTEMPT_IDS, ATTEMPTS, "60");
      case "fail" -> genericPlan(JobSql.FAIL, "gen_random_uuid()", "1", "1000", "'boom'");
      case "list" -> genericPlan(JobSql.LIST, "'dead'", "'10000-01-01T00:00:00Z'",
          "'ffffffff-ffff-ffff-ffff-ffffffffffff'", "51");
      default -> genericPlan(JobSql.LIST, "'queued'", "now()", "'01a236a4-7526-77cd-8ab3-6c414e68efe7'", "51");
    };
    List<String> scans = scans(plan);
    assertThat(scans).as(plan.encodePrettily()).isNotEmpty().noneMatch(s -> s.startsWith("Seq Scan"));
    List<String> expected = switch (statement) {
      case "claim" -> List.of("jobs_due");
      case "claim, completing" -> List.of("jobs_due", "jobs_pkey");
      case "fail" -> List.of("jobs_pkey");
      case "complete", "renew" -> List.of();
      default -> List.of("jobs_by_status");
    };
    if (statement.equals("complete") || statement.equals("renew")) {
      // by the batch's ids, or through the running jobs (few: the workers' slots and the
      // abandoned ones), as the generic plan's guess of the array's length goes
      assertThat(scans).as(plan.encodePrettily())
          .anyMatch(s -> s.endsWith(":jobs_pkey") || s.endsWith(":jobs_by_status"));
      return;
    }
    for (String index : expected) {
      assertThat(scans).as(plan.encodePrettily()).anyMatch(s -> s.endsWith(":" + index));
    }
  }
}
