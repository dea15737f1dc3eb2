package dev.sextant.experiments;

import static dev.sextant.experiments.ExperimentTest.awaitEvaluated;
import static dev.sextant.experiments.ExperimentTest.dataset;
import static dev.sextant.experiments.ExperimentTest.evaluator;
import static dev.sextant.experiments.ExperimentTest.experiment;
import static dev.sextant.experiments.ExperimentTest.result;
import static dev.sextant.experiments.ExperimentTest.results;
import static dev.sextant.experiments.ExperimentTest.summary;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.Await;
import dev.sextant.support.Injected;
import dev.sextant.support.ProjectKey;
import dev.sextant.support.ServerExtension;
import dev.sextant.support.TestInfra;
import dev.sextant.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Evaluations after a crash")
class EvaluationCrashTest {

  /** An instance that runs no jobs: what it queues waits for the "crashed" worker of the test. */
  @RegisterExtension
  static final ServerExtension extension = ServerExtension.withEnv(Map.of("SEXTANT_JOBS_ENABLED", "false"));

  @Injected private static TestServer server;
  @Injected private static ApiClient api;
  @ProjectKey private static String key;

  @Test
  @DisplayName("run an evaluation again when its worker died mid-way, leaving one score per result and evaluator")
  void workerDiesMidEvaluation() throws SQLException {
    String dataset = dataset(api, key, 4);
    String experiment = experiment(api, key, dataset, new JsonArray()
        .add(evaluator("exact", "exact_match")).add(evaluator("similar", "levenshtein_similarity")));
    results(api, key, experiment, result("q1", "answer 1"), result("q2", "answer 2"),
        result("q3", "answer 3"), result("q4", "wrong"));
    assertThat(summary(api, key, experiment).getLong("pending_evaluations")).isEqualTo(4);

    // a worker claimed the job, wrote some scores (one of them from an output since replaced)
    // and died before recording it done: its lease has run out
    try (Connection conn = TestInfra.jdbc(server.databaseUrl()); Statement st = conn.createStatement()) {
      assertThat(st.executeUpdate("""
          UPDATE jobs SET status = 'running', attempts = 1, lease_until = now() - interval '1 second',
                          run_at = now() - interval '1 second'
           WHERE kind = 'experiment_evaluation'""")).isEqualTo(1);
      st.executeUpdate("INSERT INTO experiment_scores (experiment_id, item_id, name, value, source, created_at) "
          + "VALUES ('" + experiment + "', 'q1', 'exact', 1, 'eval', now()), "
          + "('" + experiment + "', 'q4', 'exact', 1, 'eval', now())");
    }

    try (TestServer worker = server.sibling(Map.of("SEXTANT_JOBS_ENABLED", "true"))) {
      JsonObject evaluated = awaitEvaluated(worker.client, key, experiment);
      JsonObject exact = evaluated.getJsonObject("scores").getJsonObject("exact");
      assertThat(exact.getLong("count")).isEqualTo(4);
      assertThat(exact.getDouble("mean")).as("q4's stale score replaced").isEqualTo(0.75);
      assertThat(evaluated.getJsonObject("scores").getJsonObject("similar").getLong("count")).isEqualTo(4);
      // the scores are committed before the job is recorded done
      Await.until(Duration.ofSeconds(30), () -> "done".equals(jobStatus()), "the job to be recorded done");
    }
    try (Connection conn = TestInfra.jdbc(server.databaseUrl()); Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT (item_id, name)) FROM experiment_scores "
            + "WHERE experiment_id = '" + experiment + "'")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(8);
      assertThat(rs.getLong(2)).isEqualTo(8);
    }
    try (Connection conn = TestInfra.jdbc(server.databaseUrl()); Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT attempts FROM jobs WHERE kind = 'experiment_evaluation'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("claimed again after the lease ran out").isEqualTo(2);
    }
  }

  private static String jobStatus() {
    try (Connection conn = TestInfra.jdbc(server.databaseUrl()); Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT status FROM jobs WHERE kind = 'experiment_evaluation'")) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
