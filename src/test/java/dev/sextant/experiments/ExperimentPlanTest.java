package dev.sextant.experiments;

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

@DisplayName("On 400 000 items, 5 000 experiments, 180 000 results and 360 000 scores, every read of datasets and experiments goes through an index (generic plans)")
class ExperimentPlanTest {

  private static final String PROJECT = "'00000000-0000-7000-8000-000000000001'";
  /** The big dataset (200 000 items) and the two experiments over it (50 000 results each). */
  private static final String DATASET = "'00000000-0000-7000-8000-0000000000d1'";
  private static final String EXPERIMENT_A = "'00000000-0000-7000-8000-0000000000e1'";
  private static final String EXPERIMENT_B = "'00000000-0000-7000-8000-0000000000e2'";
  private static final List<String> TABLES =
      List.of("datasets", "dataset_items", "experiments", "experiment_results", "experiment_scores");

  private static String url;

  @BeforeAll
  static void seed() throws SQLException {
    url = TestInfra.newMigratedDatabase();
    try (Connection conn = TestInfra.jdbc(url); Statement st = conn.createStatement()) {
      PlanFixture.insertProjects(st, 10);
      // 1 000 datasets of 200 items across the projects, and one of 200 000 items in project 1
      st.execute("""
          INSERT INTO datasets (id, project_id, name, item_count, created_at, updated_at)
          SELECT ('00000000-0000-7000-8000-' || lpad(to_hex(d + 4096), 12, '0'))::uuid,
                 ('00000000-0000-7000-8000-' || lpad((1 + d % 10)::text, 12, '0'))::uuid,
                 'dataset ' || d, 200, timestamptz '2026-10-01' + d * interval '1 minute', now()
            FROM generate_series(1, 1000) d""");
      st.execute("INSERT INTO datasets (id, project_id, name, item_count, created_at, updated_at) "
          + "VALUES (" + DATASET + ", " + PROJECT + ", 'big', 200000, now(), now())");
      st.execute("""
          INSERT INTO dataset_items (dataset_id, id, input, expected_output, created_at, updated_at)
          SELECT d.id, 'item-' || i, to_jsonb('question ' || i), to_jsonb('answer ' || i),
                 d.created_at + i * interval '1 millisecond', now()
            FROM datasets d, generate_series(1, 200) i WHERE d.name <> 'big'""");
      st.execute("INSERT INTO dataset_items (dataset_id, id, input, expected_output, created_at, updated_at) "
          + "SELECT " + DATASET + ", 'item-' || i, to_jsonb('question ' || i), to_jsonb('answer ' || i), "
          + "timestamptz '2026-11-01' + (i / 1000) * interval '1 second', now() FROM generate_series(1, 200000) i");
      // 5 000 experiments over the small datasets, 400 of them with 500 results each; then the
      // two over the big dataset with 50 000 results each
      st.execute("""
          INSERT INTO experiments (id, project_id, dataset_id, name, status, created_at)
          SELECT gen_random_uuid(), d.project_id, d.id, 'run ' || x, 'completed', now()
            FROM datasets d, generate_series(1, 5) x WHERE d.name <> 'big'""");
      st.execute("""
          INSERT INTO experiment_results (experiment_id, item_id, output, latency_ms, cost_usd,
                                          evaluated_at, created_at, updated_at)
          SELECT e.id, 'item-' || i, to_jsonb('answer ' || i), 100 + i % 900, 0.001, now(), now(), now()
            FROM (SELECT id FROM experiments ORDER BY id LIMIT 400) e, generate_series(1, 200) i""");
      st.execute("INSERT INTO experiments (id, project_id, dataset_id, name, evaluators, status, created_at) VALUES "
          + "(" + EXPERIMENT_A + ", " + PROJECT + ", " + DATASET + ", 'a', '[{\"name\":\"exact\",\"type\":\"exact_match\"}]', 'running', now()), "
          + "(" + EXPERIMENT_B + ", " + PROJECT + ", " + DATASET + ", 'b', '[]', 'completed', now())");
      st.execute("""
          INSERT INTO experiment_results (experiment_id, item_id, output, latency_ms, cost_usd,
                                          evaluated_at, created_at, updated_at)
          SELECT e.id, 'item-' || i, to_jsonb('answer ' || i), 100 + i % 900, 0.001,
                 CASE WHEN i % 100 = 0 THEN NULL ELSE now() END,
                 timestamptz '2026-11-02' + (i / 1000) * interval '1 second', now()
            FROM experiments e, generate_series(1, 50000) i WHERE e.name IN ('a', 'b')""");
      st.execute("""
          INSERT INTO experiment_scores (experiment_id, item_id, name, value, source, created_at)
          SELECT experiment_id, item_id, n, (length(item_id) % 3) / 2.0, 'eval', now()
            FROM experiment_results, unnest(ARRAY['exact', 'quality']) n""");
      st.execute("VACUUM ANALYZE");
    }
  }

  private static List<String> scans(JsonObject plan) {
    return PlanFixture.scans(plan, TABLES);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dataset", "datasets page", "items page 1", "items page 1000",
      "experiment", "result totals", "score totals", "results page", "compare", "common items",
      "known items", "to evaluate", "lock for results"})
  void readsThroughIndexes(String statement) throws SQLException {
    String ids = "ARRAY['item-5', 'item-77', 'item-150000']";
    JsonObject plan = PlanFixture.genericPlanOn(url, switch (statement) {
      case "dataset" -> DatasetSql.FIND;
      case "datasets page" -> DatasetSql.LIST;
      case "items page 1", "items page 1000" -> DatasetSql.LIST_ITEMS;
      case "experiment" -> ExperimentSql.FIND;
      case "result totals" -> ExperimentSql.RESULT_TOTALS;
      case "score totals" -> ExperimentSql.SCORE_TOTALS;
      case "results page" -> ExperimentSql.LIST_RESULTS;
      case "compare" -> ExperimentSql.COMPARE;
      case "common items" -> ExperimentSql.COMMON_ITEMS;
      case "known items" -> ExperimentSql.KNOWN_ITEMS;
      case "to evaluate" -> ExperimentSql.TO_EVALUATE;
      case "lock for results" -> ExperimentSql.LOCK_FOR_RESULTS;
      default -> throw new IllegalArgumentException(statement);
    }, switch (statement) {
      case "dataset" -> new String[] {DATASET, PROJECT};
      case "datasets page" -> new String[] {PROJECT, "'2026-10-01T10:00:00Z'", "'ffffffff-ffff-ffff-ffff-ffffffffffff'", "51"};
      case "items page 1" -> new String[] {DATASET, PROJECT, "'0001-01-01T00:00:00Z'", "''", "51"};
      case "items page 1000" -> new String[] {DATASET, PROJECT, "'2026-11-01T00:02:30Z'", "'item-150000'", "51"};
      case "experiment", "lock for results" -> new String[] {EXPERIMENT_A, PROJECT};
      case "result totals", "score totals" -> new String[] {EXPERIMENT_A};
      case "results page" -> new String[] {EXPERIMENT_A, PROJECT, "'2026-11-02T00:00:30Z'", "'item-30000'", "51"};
      case "compare" -> new String[] {EXPERIMENT_A, EXPERIMENT_B, "1e-9"};
      case "common items" -> new String[] {EXPERIMENT_A, EXPERIMENT_B};
      case "known items" -> new String[] {DATASET, ids};
      case "to evaluate" -> new String[] {EXPERIMENT_A, ids};
      default -> throw new IllegalArgumentException(statement);
    });
    List<String> scans = scans(plan);
    assertThat(scans).as(plan.encodePrettily()).isNotEmpty()
        .allSatisfy(scan -> assertThat(scan).doesNotStartWith("Seq Scan"));
  }
}
