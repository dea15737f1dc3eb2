package dev.sextant.modelconfigs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.PlanFixture;
import dev.sextant.support.TestInfra;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("On 300 000 model config versions of 100 projects, every read uses the primary keys (generic plans)")
class ModelConfigPlanTest {

  private static final String PROJECT = "'00000000-0000-7000-8000-000000000007'";
  private static final List<String> TABLES = List.of("model_configs", "model_config_labels");

  private static String url;

  @BeforeAll
  static void seed() throws SQLException {
    url = TestInfra.newMigratedDatabase();
    try (Connection conn = TestInfra.jdbc(url); Statement st = conn.createStatement()) {
      PlanFixture.insertProjects(st, 100);
      // 100 projects x 300 names x 10 versions, each with a prompt template of some length
      st.execute("""
          INSERT INTO model_configs (project_id, name, version, provider, model, parameters,
                                     prompt_template, created_at)
          SELECT ('00000000-0000-7000-8000-' || lpad(p::text, 12, '0'))::uuid, 'config-' || n, v,
                 'openai', 'model-' || (v % 3), jsonb_build_object('temperature', v / 10.0),
                 repeat('You are a helpful assistant. ', 8) || '{question}',
                 timestamptz '2026-10-01' + (n * 10 + v) * interval '1 minute'
            FROM generate_series(1, 100) p, generate_series(1, 300) n, generate_series(1, 10) v""");
      st.execute("""
          INSERT INTO model_config_labels (project_id, name, label, version)
          SELECT project_id, name, CASE version WHEN 10 THEN 'production' ELSE 'staging' END, version
            FROM model_configs WHERE version IN (9, 10)""");
      st.execute("VACUUM ANALYZE model_configs, model_config_labels");
    }
  }

  private static JsonObject genericPlan(String sql, String... params) throws SQLException {
    return PlanFixture.genericPlanOn(url, sql, params);
  }

  private static List<String> scans(JsonObject plan) {
    return PlanFixture.scans(plan, TABLES);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"newest", "by version", "by label", "versions", "newest of each",
      "next version"})
  void usesPrimaryKeys(String statement) throws SQLException {
    JsonObject plan = switch (statement) {
      case "newest" -> genericPlan(ModelConfigSql.NEWEST, PROJECT, "'config-42'");
      case "by version" -> genericPlan(ModelConfigSql.BY_VERSION, PROJECT, "'config-42'", "3");
      case "by label" -> genericPlan(ModelConfigSql.BY_LABEL, PROJECT, "'config-42'", "'production'");
      case "versions" -> genericPlan(ModelConfigSql.VERSIONS, PROJECT, "'config-42'");
      case "newest of each" -> genericPlan(ModelConfigSql.NEWEST_OF_EACH, PROJECT);
      default -> genericPlan(ModelConfigSql.INSERT_VERSION, PROJECT, "'config-42'", "'openai'",
          "'gpt-4o'", "'{}'", "NULL");
    };
    List<String> scans = scans(plan);
    assertThat(scans).as(plan.encodePrettily()).isNotEmpty().noneMatch(s -> s.startsWith("Seq Scan"));
    assertThat(scans).as(plan.encodePrettily()).anyMatch(s -> s.endsWith(":model_configs_pkey"));
    if (!statement.equals("next version")) {
      assertThat(scans).as(plan.encodePrettily()).anyMatch(s -> s.endsWith(":model_config_labels_pkey"));
    }
  }
}
