package dev.sextant.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ProjectScript;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code scripts/promtool-test}, so that {@code mvn verify} checks the Prometheus
 * configuration and runs the alerting rules' promtool unit tests in the same report as the rest;
 * the Grafana dashboard's queries go along as recording rules of a file of their own, for promtool
 * to parse. Where promtool cannot be had, the script says it skipped and this test is reported as
 * skipped.
 */
@DisplayName("Alerting rules")
class AlertRulesTest {

  @Test
  @DisplayName("pass promtool's checks and unit tests: every alert fires when it should and stays silent on healthy series")
  void promtoolUnitTests() throws IOException, InterruptedException {
    Path dashboardRules = dashboardQueriesAsRules();
    ProjectScript script = ProjectScript.run("promtool-test", Map.of(),
        dashboardRules.toAbsolutePath().toString());
    String output = script.output();
    Assumptions.assumeFalse(output.contains("skipped: promtool not available"), output);
    assertThat(script.exitCode()).as("scripts/promtool-test exit code; its output:%n%s", output)
        .isZero();
    assertThat(output).contains("SUCCESS").doesNotContain("FAILED");
  }

  /** The dashboard's queries, variables substituted, as recording rules (JSON being YAML). */
  private static Path dashboardQueriesAsRules() throws IOException {
    JsonArray rules = new JsonArray();
    for (String query : DashboardQueries.read().keySet()) {
      String promql = DashboardQueries.substituted(PromQlNames.withoutLabelValues(query));
      rules.add(new JsonObject().put("record", "dashboard:query_" + rules.size()).put("expr", promql));
    }
    assertThat(rules).hasSizeGreaterThan(30);
    Path file = Path.of("target", "grafana-queries.rules.yml");
    Files.writeString(file, new JsonObject().put("groups", new JsonArray()
        .add(new JsonObject().put("name", "grafana-dashboard").put("rules", rules))).encodePrettily());
    return file;
  }
}
